package frontdoor

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"
)

// withInflight rejects new requests while draining and counts the rest.
func (s *Server) withInflight(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			w.Header().Set("Connection", "close")
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		s.inflight.Add(1)
		defer s.inflight.Done()
		next.ServeHTTP(w, r)
	})
}

// withDeadline bounds every request by the X-Faas-Timeout header (in
// milliseconds), the default, and the maximum.
func (s *Server) withDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), deadlineFrom(r, s.cfg.DefaultTimeout, s.cfg.MaxTimeout))
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// deadlineFrom parses the client's timeout request.
func deadlineFrom(r *http.Request, def, max time.Duration) time.Duration {
	v := r.Header.Get("X-Faas-Timeout")
	if v == "" {
		return def
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms <= 0 {
		return def
	}
	if d := time.Duration(ms) * time.Millisecond; d < max {
		return d
	}
	return max
}

// withRecover turns handler panics into 500s.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.handlePanic(w, r)
		next.ServeHTTP(w, r)
	})
}

// handlePanic must be deferred directly: it recovers, logs and answers 500.
func (s *Server) handlePanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	s.agg.Inc("frontdoor.panics", 1)
	s.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// withAdminRecover logs admin handler panics.
func (s *Server) withAdminRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			s.logPanic(r)
		}()
		next.ServeHTTP(w, r)
	})
}

// logPanic records a panic raised by an admin handler.
func (s *Server) logPanic(r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		s.agg.Inc("frontdoor.admin_panics", 1)
		s.log.Printf("admin panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
	}
}

// recoverBackground is deferred directly by background goroutines.
func (s *Server) recoverBackground(what string) {
	if v := recover(); v != nil {
		s.agg.Inc("frontdoor.background_panics", 1)
		s.log.Printf("panic in %s: %v\n%s", what, v, debug.Stack())
	}
}
