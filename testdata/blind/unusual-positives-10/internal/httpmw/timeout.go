package httpmw

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// bufferedResponse collects a handler's response so that it can be thrown
// away when the deadline passes first.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse {
	return &bufferedResponse{header: make(http.Header)}
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) copyTo(w http.ResponseWriter) {
	for k, vs := range b.header {
		w.Header()[k] = vs
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// Timeout answers 504 when the wrapped handler takes longer than d.
func Timeout(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			buf := newBufferedResponse()
			done := make(chan struct{})
			go func() {
				next.ServeHTTP(buf, r.WithContext(ctx))
				done <- struct{}{} // HAZ goroutine-blocked-send
			}()
			select {
			case <-done:
				buf.copyTo(w)
			case <-ctx.Done():
				http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
			}
		})
	}
}

// Deadline is Timeout with a completion signal that never blocks the
// handler goroutine: closing a channel does not wait for a receiver.
func Deadline(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			buf := newBufferedResponse()
			done := make(chan struct{})
			go func() {
				defer close(done)
				next.ServeHTTP(buf, r.WithContext(ctx))
			}()
			select {
			case <-done:
				buf.copyTo(w)
			case <-ctx.Done():
				http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
			}
		})
	}
}
