package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// EndpointInfo is what receivers may advertise at /.well-known/webhooks.
type EndpointInfo struct {
	MaxBodyBytes int64    `json:"max_body_bytes"`
	Events       []string `json:"events"`
	Contact      string   `json:"contact"`
}

func wellKnown(base string) string {
	return strings.TrimRight(base, "/") + "/.well-known/webhooks"
}

// Discover fetches the endpoint's advertised limits.
func (s *Sender) Discover(ctx context.Context, base string) (*EndpointInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, wellKnown(base), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := s.client.Do(req)
	s.metrics.Inc("delivery.discover", 1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", base, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("discover %s: status %d", base, resp.StatusCode)
	}
	var info EndpointInfo
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return nil, fmt.Errorf("discover %s: %w", base, err)
	}
	return &info, nil
}

// DiscoverAll fetches the advertised limits of several receivers, for the
// nightly capacity report. Receivers that do not answer are left out.
func (s *Sender) DiscoverAll(ctx context.Context, bases []string) map[string]EndpointInfo {
	out := make(map[string]EndpointInfo, len(bases))
	for _, base := range bases {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, wellKnown(base), nil)
		if err != nil {
			continue
		}
		resp, err := s.client.Do(req)
		if err != nil {
			s.log.Printf("discover %s: %v", base, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		var info EndpointInfo
		if resp.StatusCode == http.StatusOK && json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info) == nil {
			out[base] = info
		}
	}
	return out
}

// head sends an unsigned HEAD request and returns the status.
func (s *Sender) head(ctx context.Context, rawURL string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// ProbeEach HEADs every URL with its own timeout and returns the status per
// URL (0 when the request failed).
func (s *Sender) ProbeEach(ctx context.Context, urls []string, timeout time.Duration) map[string]int {
	out := make(map[string]int, len(urls))
	for _, u := range urls {
		pctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel() // HAZ defer-in-loop
		status, err := s.head(pctx, u)
		if err != nil {
			s.log.Printf("probe %s: %v", u, err)
		}
		out[u] = status
	}
	return out
}

// FirstHealthy returns the first of several mirror endpoints that answers
// below 500. The losers are cancelled; the channel has one slot per mirror
// so none of them blocks on its send after we have returned.
func (s *Sender) FirstHealthy(ctx context.Context, urls []string) (string, error) {
	if len(urls) == 0 {
		return "", fmt.Errorf("delivery: no endpoints")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type answer struct {
		url string
		err error
	}
	answers := make(chan answer, len(urls))
	for _, u := range urls {
		go func(u string) {
			status, err := s.head(ctx, u)
			if err == nil && status >= 500 {
				err = fmt.Errorf("status %d", status)
			}
			answers <- answer{u, err}
		}(u)
	}
	var lastErr error
	for range urls {
		select {
		case a := <-answers:
			if a.err == nil {
				return a.url, nil
			}
			lastErr = a.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", fmt.Errorf("delivery: no healthy endpoint: %w", lastErr)
}

// Reachable reports whether base/healthz answers 2xx within the slow
// threshold. Used by the start-up self check.
func Reachable(client *http.Client, base string, slow time.Duration) bool {
	start := time.Now()
	resp, _ := client.Get(strings.TrimRight(base, "/") + "/healthz")
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode/100 == 2 && rtt < slow
}

func defaultPort(scheme string) string {
	if scheme == "http" {
		return "80"
	}
	return "443"
}

// DialCheck verifies that the endpoint's host accepts TCP connections.
func DialCheck(rawURL string, timeout time.Duration) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	hostport := u.Host
	if u.Port() == "" {
		hostport = net.JoinHostPort(u.Hostname(), defaultPort(u.Scheme))
	}
	conn, err := net.DialTimeout("tcp", hostport, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("dial %s: %w", hostport, err)
	}
	return nil
}

// ResolveEndpoint resolves the endpoint's host with a deadline, so that a
// typo in a subscription URL fails fast instead of hanging a worker.
func ResolveEndpoint(rawURL string, timeout time.Duration) ([]string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	type answer struct {
		addrs []string
		err   error
	}
	ch := make(chan answer)
	go func() {
		addrs, err := net.LookupHost(u.Hostname())
		ch <- answer{addrs, err} // HAZ goroutine-blocked-send
	}()
	select {
	case a := <-ch:
		return a.addrs, a.err
	case <-time.After(timeout):
		return nil, fmt.Errorf("resolve %s: timed out after %s", u.Hostname(), timeout)
	}
}
