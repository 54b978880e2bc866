// Package httpx has the HTTP server, its middleware and a small JSON client.
package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first one is outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// Recover turns a handler panic into a 500 response. http.ErrAbortHandler is
// re-panicked so that net/http aborts the connection as intended.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				rec := recover()
				if rec == nil {
					return
				}
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				log.Error("handler panic", "path", r.URL.Path, "panic", rec, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// Reporter receives errors worth a page.
type Reporter interface {
	Report(ctx context.Context, err error)
}

// ReportPanics reports the first handler panic of the process to rep and
// lets net/http deal with every panic as usual.
func ReportPanics(rep Reporter) Middleware {
	var once sync.Once
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				once.Do(func() {
					if rec := recover(); rec != nil { // HAZ recover-ineffective
						rep.Report(r.Context(), fmt.Errorf("panic in %s: %v", r.URL.Path, rec))
						panic(rec)
					}
				})
			}()
			next.ServeHTTP(w, r)
		})
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.bytes += n
	return n, err
}

// Logging logs every request with its status and duration, measured when
// the handler returns.
func Logging(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			defer func() {
				log.Info("request", "method", r.Method, "path", r.URL.Path,
					"status", sw.status, "bytes", sw.bytes, "dur", time.Since(start))
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// Timeout bounds each request's context by d.
func Timeout(d time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
