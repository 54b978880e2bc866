package middleware

import (
	"context"
	"net/http"
	"strings"
	"time"

	"example.com/fah20/internal/web"
)

// Timeout gives every request a deadline of d.
func Timeout(d time.Duration) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// RouteDeadlines gives the listed paths their own deadline; other paths keep
// the server's context.
func RouteDeadlines(limits map[string]time.Duration) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			var cancel context.CancelFunc
			if d, ok := limits[r.URL.Path]; ok && d > 0 {
				ctx, cancel = context.WithTimeout(ctx, d)
			}
			defer cancel() // HAZ defer-nil-func
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// PrefixDeadlines picks the deadline of the longest matching path prefix,
// falling back to def; a zero duration means no deadline.
func PrefixDeadlines(def time.Duration, prefixes map[string]time.Duration) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d, best := def, -1
			for p, pd := range prefixes {
				if strings.HasPrefix(r.URL.Path, p) && len(p) > best {
					d, best = pd, len(p)
				}
			}
			ctx, cancel := r.Context(), context.CancelFunc(func() {})
			if d > 0 {
				ctx, cancel = context.WithTimeout(ctx, d)
			}
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
