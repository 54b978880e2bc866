package httpmw

import (
	"log"
	"net/http"
)

// AfterHooks runs the hook registered for the request path once the
// handler is done (cache purges, audit records and the like).
func AfterHooks(after map[string]func(*http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer after[r.URL.Path](r) // HAZ defer-nil-func
			next.ServeHTTP(w, r)
		})
	}
}

// AfterHooksSafe is AfterHooks for paths that may have no hook.
func AfterHooksSafe(after map[string]func(*http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hook := after[r.URL.Path]
			if hook == nil {
				hook = func(*http.Request) {}
			}
			defer hook(r)
			next.ServeHTTP(w, r)
		})
	}
}

// Quiet is for health and readiness probes: a failing probe handler must
// never put a stack trace into the logs.
func Quiet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil { // HAZ recover-swallows-panic
				// probes are polled every few seconds; stay silent
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Probe is Quiet done right: the panic is logged once, without the stack,
// and becomes a 503, which is what the orchestrator acts on.
func Probe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("probe %s failed: %v", r.URL.Path, v)
				http.Error(w, "probe failed", http.StatusServiceUnavailable)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
