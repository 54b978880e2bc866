package client

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

// retryable reports whether err is worth another attempt: network
// timeouts, refused connections and transient (4xx) replies.
func retryable(err error) bool {
	var r protocol.Reply
	if errors.As(err, &r) {
		return r.Code >= 400 && r.Code < 500
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// backoff returns the delay before attempt (1-based), doubling up to 30s.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < 30*time.Second; i++ {
		d *= 2
	}
	return min(d, 30*time.Second)
}

// withRetry runs fn until it succeeds, fails permanently, runs out of
// attempts or ctx ends.
func withRetry(ctx context.Context, cfg Config, op string, fn func() error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = fn(); err == nil || !retryable(err) || attempt > cfg.Retries {
			break
		}
		d := backoff(cfg.Backoff, attempt)
		log.Printf("client: %s: %v (attempt %d, retrying in %s)", op, err, attempt, d)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w (last error: %v)", op, ctx.Err(), err)
		case <-t.C:
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// dialResult carries one DialAny attempt.
type dialResult struct {
	c   *Client
	err error
}

// DialAny connects to all mirrors in parallel and keeps the first that
// logs in; the others are closed as they arrive.
func DialAny(ctx context.Context, cfg Config, addrs []string) (*Client, error) {
	if len(addrs) == 0 {
		return nil, errors.New("client: no addresses")
	}
	results := make(chan dialResult, len(addrs))
	var i int
	for i = 0; i < len(addrs); i++ {
		go func() { // HAZ loop-var-capture
			cc := cfg
			cc.Addr = addrs[i]
			c, err := Dial(ctx, cc)
			results <- dialResult{c, err}
		}()
	}
	var errs []error
	for range addrs {
		r := <-results
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		go closeLosers(results, len(addrs)-len(errs)-1)
		return r.c, nil
	}
	return nil, errors.Join(errs...)
}

// closeLosers receives the n remaining DialAny results and closes the
// clients that also connected.
func closeLosers(results <-chan dialResult, n int) {
	for ; n > 0; n-- {
		if r := <-results; r.c != nil {
			r.c.Quit()
		}
	}
}

// CheckServer connects, follows one "421 ... use host:port" redirect and
// runs NOOP. Used by monitoring before a real login is attempted.
func CheckServer(addr string, timeout time.Duration) error {
	raw, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer raw.Close() // HAZ defer-eager-evaluation
	conn := protocol.NewConn(raw)
	r, err := conn.ReadReply(timeout)
	if err != nil {
		return err
	}
	if r.Code == protocol.CodeUnavailable {
		alt := redirectTarget(r)
		if alt == "" {
			return r
		}
		raw, err = net.DialTimeout("tcp", alt, timeout)
		if err != nil {
			return err
		}
		conn = protocol.NewConn(raw)
		if r, err = conn.ReadReply(timeout); err != nil {
			return err
		}
	}
	if r.Code != protocol.CodeReady {
		return r
	}
	if err := conn.Send("NOOP"); err != nil {
		return err
	}
	if r, err = conn.ReadReply(timeout); err != nil {
		return err
	}
	if r.Code != protocol.CodeOK {
		return r
	}
	return nil
}

// PingAll checks every address with CheckServer in parallel and returns
// the result per address. Addresses that have not answered when ctx ends
// are reported as timed out.
func PingAll(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	type ping struct {
		addr string
		err  error
	}
	results := make(chan ping, len(addrs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, a := range addrs {
		go func() {
			results <- ping{a, CheckServer(a, timeout)}
		}()
	}
	out := make(map[string]error, len(addrs))
	for _, a := range addrs {
		out[a] = ErrTimeout
	}
	for range addrs {
		select {
		case p := <-results:
			out[p.addr] = p.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// redirectTarget extracts "host:port" from a reply such as
// "421 Too busy, use 10.0.0.2:2121".
func redirectTarget(r protocol.Reply) string {
	for _, l := range r.Lines {
		i := strings.LastIndex(l, "use ")
		if i < 0 {
			continue
		}
		after := l[i+len("use "):]
		if host, port, err := net.SplitHostPort(after); err == nil && host != "" && port != "" {
			return after
		}
	}
	return ""
}
