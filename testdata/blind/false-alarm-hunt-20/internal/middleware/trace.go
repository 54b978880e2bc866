package middleware

import (
	"log"
	"net/http"
	"time"

	"example.com/fah20/internal/web"
)

// Tracer logs spans that take longer than a threshold.
type Tracer struct {
	logger *log.Logger
	slow   time.Duration
}

// NewTracer returns a tracer that reports spans slower than slow.
func NewTracer(logger *log.Logger, slow time.Duration) *Tracer {
	return &Tracer{logger: logger, slow: slow}
}

// Span starts a span and returns the function that ends it.
func (t *Tracer) Span(name string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d >= t.slow {
			t.logger.Printf("slow span %s: %s", name, d)
		}
	}
}

// Middleware wraps every request in a span.
func (t *Tracer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer t.Span("http " + r.Method + " " + r.URL.Path)()
		next.ServeHTTP(w, r)
	})
}

// ErrorPages replaces non-JSON 5xx bodies with the API's JSON error shape.
// Nothing reaches the client until the buffered response is committed.
func ErrorPages(logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			buf := web.NewBufferedResponse(w, nil)
			next.ServeHTTP(buf, r)
			if status := buf.Status(); status >= http.StatusInternalServerError &&
				buf.Header().Get("Content-Type") != "application/json; charset=utf-8" {
				buf.Reset()
				web.Error(buf, status, http.StatusText(status))
			}
			if err := buf.Commit(); err != nil {
				logger.Printf("error pages: commit %s: %v", r.URL.Path, err)
			}
		})
	}
}
