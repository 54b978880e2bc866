package httpmw

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
)

// Recoverer turns a panic in the wrapped handler into a 500 response.
func Recoverer(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				report := func() {
					if v := recover(); v != nil { // HAZ recover-ineffective
						logger.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
						http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
					}
				}
				report()
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// SafeRecoverer is Recoverer with the recover called by the deferred
// function itself. http.ErrAbortHandler is passed on untouched.
func SafeRecoverer(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
					http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// logPanic is deferred directly by Guard; recover works because logPanic is
// itself the deferred function.
func logPanic(logger *log.Logger, w http.ResponseWriter, route string) {
	if v := recover(); v != nil {
		logger.Printf("route %s: recovered: %v", route, v)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// Guard protects a single route handler.
func Guard(logger *log.Logger, route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer logPanic(logger, w, route)
		h(w, r)
	})
}

const maxMirrorBody = 1 << 20

// Mirror copies a sample of requests to a shadow deployment. The copy is
// fire-and-forget: the client never waits for the shadow.
func Mirror(shadow *url.URL, client *http.Client, sample func(*http.Request) bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() { // HAZ goroutine-outside-recover
				if v := recover(); v != nil {
					log.Printf("mirror: recovered: %v", v)
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}()
			if sample(r) && r.ContentLength >= 0 && r.ContentLength <= maxMirrorBody {
				body, err := io.ReadAll(io.LimitReader(r.Body, maxMirrorBody))
				if err != nil {
					http.Error(w, "bad request body", http.StatusBadRequest)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				u := *r.URL
				go replay(client, shadow, r.Method, &u, r.Header.Clone(), body)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// replay sends one mirrored request and discards the answer.
func replay(client *http.Client, shadow *url.URL, method string, u *url.URL, hdr http.Header, body []byte) {
	target := *shadow
	target.Path = u.Path
	target.RawQuery = u.RawQuery
	req, err := http.NewRequest(method, target.String(), bytes.NewReader(body))
	if err != nil {
		log.Printf("mirror: %v", err)
		return
	}
	req.Header = hdr
	req.Header.Set("X-Mirrored", "1")
	resp, err := client.Do(req)
	if err != nil {
		log.Printf("mirror: %s %s: %v", method, target.Path, err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}

// Prefetch warms caches for the resources linked from a response once the
// response has been written. Every warm-up goroutine has its own recover.
func Prefetch(warm func(path string), links func(*http.Request) []string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					log.Printf("prefetch: handler panic: %v", v)
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
			for _, p := range links(r) {
				go func() {
					defer func() {
						if v := recover(); v != nil {
							log.Printf("prefetch %s: %v", p, v)
						}
					}()
					warm(p)
				}()
			}
		})
	}
}
