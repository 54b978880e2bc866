package devserver

import (
	"encoding/json"
	"log"
	"net/http"
	"runtime/debug"
	"time"
)

// logPanic reports a handler panic together with the request that caused it.
func logPanic(l *log.Logger, r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		l.Printf("panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
	}
}

// withRecover wraps the HTML routes so that a panicking handler is logged
// with its request.
func (s *Server) withRecover(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			logPanic(s.log, r)
		}()
		h.ServeHTTP(w, r)
	})
}

// recoverJSON answers a panicking API request with a JSON 500. It is
// deferred directly, so its recover stops the panic.
func (s *Server) recoverJSON(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		s.log.Printf("panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"error": "internal error"})
	}
}

// withJSONErrors wraps the API routes.
func (s *Server) withJSONErrors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.recoverJSON(w, r)
		h.ServeHTTP(w, r)
	})
}

// withAccessLog logs every request with its duration once it has been
// served; the duration is computed inside the deferred closure.
func (s *Server) withAccessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			s.log.Printf("%s %s %s", r.Method, r.URL.Path, time.Since(start).Round(time.Microsecond))
		}()
		h.ServeHTTP(w, r)
	})
}
