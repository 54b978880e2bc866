package api

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"example.com/saas/internal/tenant"
)

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// logRequests logs one line per request once the handler has returned.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			s.log.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// recoverPanics turns a handler panic into a 500 and logs the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handlePanic is deferred directly by handlers that stream and must not
// reach the generic middleware half-written.
func (s *Server) handlePanic(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		s.log.Printf("panic streaming %s: %v", r.URL.Path, v)
		http.Error(w, fmt.Sprint("export aborted: ", v), http.StatusInternalServerError)
	}
}

// authenticate resolves the bearer token to a tenant.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || key == "" {
			writeError(w, http.StatusUnauthorized, "missing bearer token")
			return
		}
		t, ok := s.cfg.Tenants.ByAPIKey(key)
		if !ok {
			writeError(w, http.StatusUnauthorized, "unknown or suspended tenant")
			return
		}
		next.ServeHTTP(w, r.WithContext(tenant.WithTenant(r.Context(), t)))
	})
}

func mustTenant(r *http.Request) *tenant.Tenant {
	t, ok := tenant.FromContext(r.Context())
	if !ok {
		panic("api: handler reached without tenant; authenticate middleware missing")
	}
	return t
}
