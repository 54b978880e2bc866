package middleware

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"
)

// timeoutWriter buffers a handler's response so it can be discarded when
// the deadline passes first.
type timeoutWriter struct {
	mu       sync.Mutex
	h        http.Header
	buf      bytes.Buffer
	code     int
	timedOut bool
}

func (tw *timeoutWriter) Header() http.Header { return tw.h }

func (tw *timeoutWriter) Write(p []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.timedOut {
		return 0, http.ErrHandlerTimeout
	}
	if tw.code == 0 {
		tw.code = http.StatusOK
	}
	return tw.buf.Write(p)
}

func (tw *timeoutWriter) WriteHeader(code int) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.timedOut || tw.code != 0 {
		return
	}
	tw.code = code
}

// Timeout answers 503 when next takes longer than d.
func Timeout(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			tw := &timeoutWriter{h: make(http.Header)}
			done := make(chan struct{})
			go func() {
				defer close(done) // ok: this goroutine is the only one touching done
				next.ServeHTTP(tw, r.WithContext(ctx))
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
				w.Write(tw.buf.Bytes())
			case <-ctx.Done():
				tw.mu.Lock()
				tw.timedOut = true
				tw.mu.Unlock()
				http.Error(w, "request timed out", http.StatusServiceUnavailable)
			}
		})
	}
}

// MaxBody caps the request body size.
func MaxBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}
