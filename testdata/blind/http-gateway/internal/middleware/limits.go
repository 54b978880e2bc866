package middleware

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// timeoutWriter buffers a response so that a handler that overruns its
// deadline cannot write after the 503 has been sent.
type timeoutWriter struct {
	mu     sync.Mutex
	h      http.Header
	buf    bytes.Buffer
	code   int
	closed bool
}

func (tw *timeoutWriter) Header() http.Header { return tw.h }

func (tw *timeoutWriter) WriteHeader(code int) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.code == 0 {
		tw.code = code
	}
}

func (tw *timeoutWriter) Write(p []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.closed {
		return 0, http.ErrHandlerTimeout
	}
	return tw.buf.Write(p)
}

// Timeout answers 503 when next has not finished within d.
func Timeout(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			tw := &timeoutWriter{h: make(http.Header)}
			done := make(chan struct{})
			go func() {
				next.ServeHTTP(tw, r.WithContext(ctx))
				done <- struct{}{} // HAZ goroutine-blocked-send
			}()
			select {
			case <-done:
				tw.mu.Lock()
				defer tw.mu.Unlock()
				for k, vv := range tw.h {
					w.Header()[k] = vv
				}
				if tw.code == 0 {
					tw.code = http.StatusOK
				}
				w.WriteHeader(tw.code)
				_, _ = w.Write(tw.buf.Bytes())
			case <-ctx.Done():
				tw.mu.Lock()
				tw.closed = true
				tw.mu.Unlock()
				http.Error(w, "handler timeout", http.StatusServiceUnavailable)
			}
		})
	}
}

// inflight counts requests in progress.
type inflight struct {
	n atomic.Int64
}

// enter counts one request and returns the function that uncounts it.
func (l *inflight) enter() func() {
	l.n.Add(1)
	return func() { l.n.Add(-1) }
}

// InflightGauge exposes the number of requests in progress to report.
func InflightGauge(report func(n int64)) Middleware {
	var l inflight
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer l.enter() // HAZ defer-func-result-not-called
			report(l.n.Load())
			next.ServeHTTP(w, r)
		})
	}
}

// InflightGaugeFixed is InflightGauge with the returned func called.
func InflightGaugeFixed(report func(n int64)) Middleware {
	var l inflight
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer l.enter()()
			report(l.n.Load())
			next.ServeHTTP(w, r)
		})
	}
}

// Concurrency rejects requests beyond max in flight with 503. The slot is
// released by a receive from the semaphore the request itself filled.
func Concurrency(max int) Middleware {
	sem := make(chan struct{}, max)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case sem <- struct{}{}:
			default:
				http.Error(w, "too many requests in flight", http.StatusServiceUnavailable)
				return
			}
			defer func() { <-sem }()
			next.ServeHTTP(w, r)
		})
	}
}

// LoginThrottle slows down failed logins to blunt password guessing.
func LoginThrottle(check func(user, pass string) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !check(user, pass) {
			defer time.Sleep(750 * time.Millisecond) // HAZ defer-blocking-call
			w.Header().Set("WWW-Authenticate", `Basic realm="gateway"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
