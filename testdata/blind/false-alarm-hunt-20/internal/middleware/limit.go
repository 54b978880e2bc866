package middleware

import (
	"net"
	"net/http"

	"example.com/fah20/internal/ratelimit"
	"example.com/fah20/internal/web"
)

// MaxInFlight answers 503 when n requests are already being served. The
// semaphore slot taken on entry is always free to give back, so the deferred
// receive cannot block.
func MaxInFlight(n int) web.Middleware {
	sem := make(chan struct{}, n)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case sem <- struct{}{}:
			default:
				w.Header().Set("Retry-After", "1")
				web.Error(w, http.StatusServiceUnavailable, "server busy")
				return
			}
			defer func() { <-sem }()
			next.ServeHTTP(w, r)
		})
	}
}

// RateLimit charges one token per request to the client's bucket and gives
// it back when the server itself failed.
func RateLimit(l *ratelimit.Keyed, key func(*http.Request) string) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b := l.Bucket(key(r))
			if !b.Take(1) {
				w.Header().Set("Retry-After", "1")
				web.Error(w, http.StatusTooManyRequests, "rate limit exceeded")
				return
			}
			rw := web.NewResponseWriter(w)
			defer func() {
				if rw.Status() >= http.StatusInternalServerError {
					b.Return(1)
				}
			}()
			next.ServeHTTP(rw, r)
		})
	}
}

// ClientIP is the rate-limit key: the peer address without its port.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
