// Package httplb is the layer-7 side of the balancer: a reverse proxy
// handler, CONNECT and Upgrade tunnels, and the admin API.
package httplb

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/health"
	"example.com/fah26/internal/limit"
	"example.com/fah26/internal/stats"
)

// Handler forwards requests to the backends of Pool.
type Handler struct {
	Pool          *backend.Pool
	Checker       *health.Checker
	Client        *http.Client
	Metrics       *stats.Metrics
	Limiter       *limit.Limiter // optional
	Logger        *log.Logger
	Timeout       time.Duration
	StatusTimeout time.Duration
}

func (h *Handler) logf(format string, args ...any) {
	if h.Logger != nil {
		h.Logger.Printf(format, args...)
	}
}

func (h *Handler) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return 30 * time.Second
}

func (h *Handler) statusTimeout() time.Duration {
	if h.StatusTimeout > 0 {
		return h.StatusTimeout
	}
	return 2 * time.Second
}

// ServeHTTP picks a backend and forwards the request to it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.Metrics.TrackActive()()
	b, err := h.Pool.Pick()
	if err != nil {
		http.Error(w, "no healthy backend", http.StatusServiceUnavailable)
		return
	}
	if err := b.Acquire(); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer b.Release()
	start := time.Now()
	err = h.forward(w, r, b)
	h.Metrics.ObserveSession(b.Name, time.Since(start))
	if err != nil {
		h.logf("httplb: %s %s via %s: %v", r.Method, r.URL.Path, b.Name, err)
	}
}

// forward sends r to b and copies the response back.
func (h *Handler) forward(w http.ResponseWriter, r *http.Request, b *backend.Backend) error {
	var release func()
	if h.Limiter != nil {
		rel, err := h.Limiter.Acquire(r.Context())
		if err != nil {
			http.Error(w, "too many requests in flight", http.StatusServiceUnavailable)
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func

	ctx, cancel := context.WithTimeout(r.Context(), h.timeout())
	defer cancel()
	out, err := h.outgoing(ctx, r, b)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return err
	}
	resp, err := h.Client.Do(out)
	if err != nil {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return err
	}
	defer resp.Body.Close()
	copyHeader(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	n, err := io.Copy(w, resp.Body)
	h.Metrics.AddBytes(b.Name, n)
	return err
}

// outgoing builds the upstream request for r.
func (h *Handler) outgoing(ctx context.Context, r *http.Request, b *backend.Backend) (*http.Request, error) {
	u := *r.URL
	u.Scheme = "http"
	u.Host = b.Addr
	out, err := http.NewRequestWithContext(ctx, r.Method, u.String(), r.Body)
	if err != nil {
		return nil, err
	}
	out.ContentLength = r.ContentLength
	copyHeader(out.Header, r.Header)
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if prior := r.Header.Get("X-Forwarded-For"); prior != "" {
			ip = prior + ", " + ip
		}
		out.Header.Set("X-Forwarded-For", ip)
	}
	out.Header.Set("X-Forwarded-Host", r.Host)
	return out, nil
}

var hopHeaders = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// copyHeader copies src into dst, leaving out hop-by-hop headers.
func copyHeader(dst, src http.Header) {
	skip := make(map[string]bool, len(hopHeaders))
	for _, h := range hopHeaders {
		skip[h] = true
	}
	for _, f := range strings.Split(src.Get("Connection"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			skip[http.CanonicalHeaderKey(f)] = true
		}
	}
	for k, vs := range src {
		if skip[k] {
			continue
		}
		for _, v := range vs {
			dst.Add(k, v)
		}
	}
}

type statusReply struct {
	Healthy  int              `json:"healthy"`
	Backends []backend.Status `json:"backends"`
	Probes   []probeReply     `json:"probes"`
}

type probeReply struct {
	Backend string `json:"backend"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	TookMS  int64  `json:"took_ms"`
}

// collect probes every backend now and reports them with their state.
func (h *Handler) collect(ctx context.Context) (statusReply, error) {
	rep := statusReply{Backends: h.Pool.Statuses()}
	for _, st := range rep.Backends {
		if st.State == backend.StateUp {
			rep.Healthy++
		}
	}
	for res := range h.Checker.Sweep(ctx) {
		pr := probeReply{Backend: res.Backend, OK: res.Err == nil, TookMS: res.Took.Milliseconds()}
		if res.Err != nil {
			pr.Error = res.Err.Error()
		}
		rep.Probes = append(rep.Probes, pr)
	}
	return rep, ctx.Err()
}

// ServeStatus probes every backend and reports the result as JSON, giving
// up after StatusTimeout.
func (h *Handler) ServeStatus(w http.ResponseWriter, r *http.Request) {
	type result struct {
		rep statusReply
		err error
	}
	ch := make(chan result)
	go func() {
		rep, err := h.collect(r.Context())
		ch <- result{rep, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(res.rep)
	case <-time.After(h.statusTimeout()):
		http.Error(w, "status probe timed out", http.StatusGatewayTimeout)
	}
}

// ServeReady answers the load balancer's own readiness probe. Counting can
// wait behind a config reload holding the pool lock, so it is bounded; the
// result channel has room for the one late answer.
func (h *Handler) ServeReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.statusTimeout())
	defer cancel()
	count := make(chan int, 1)
	go func() { count <- h.Pool.HealthyCount() }()
	select {
	case n := <-count:
		if n == 0 {
			http.Error(w, "no healthy backend", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "ok %d\n", n)
	case <-ctx.Done():
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}
}

// Warm sends GET path to every backend in parallel so that their caches are
// filled before traffic arrives. It returns how many answered.
func (h *Handler) Warm(ctx context.Context, path string) int {
	var (
		wg sync.WaitGroup
		ok atomic.Int32
	)
	for _, b := range h.Pool.Snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.Addr+path, nil)
			if err != nil {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			resp, err := h.Client.Do(req)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ok.Add(1)
		}()
	}
	wg.Wait()
	return int(ok.Load())
}

// ReportLoop logs a metrics snapshot every interval until ctx is done.
func (h *Handler) ReportLoop(ctx context.Context, every time.Duration) {
	defer func() {
		h.logPanic("report loop")
		h.logf("httplb: report loop stopped")
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if h.Logger != nil {
				h.Metrics.Snapshot().Log(h.Logger)
			}
		}
	}
}

// logPanic logs a panic of a background loop.
func (h *Handler) logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		h.logf("httplb: panic in %s: %v", where, r)
	}
}
