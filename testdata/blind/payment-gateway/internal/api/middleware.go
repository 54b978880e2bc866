package api

import (
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"time"
)

// recoverMiddleware turns a handler panic into a 500 and logs the stack.
func recoverMiddleware(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				logger.Printf("api: panic in %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) logRequest(method, path string, start time.Time) {
	s.logger.Printf("%s %s %s", method, path, time.Since(start))
}

// requestLog logs method, path and latency. The deferred call's arguments
// are values fixed at the start of the request.
func (s *Server) requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer s.logRequest(r.Method, r.URL.Path, start)
		next.ServeHTTP(w, r)
	})
}

// logPanic reports a panic in an internal admin handler.
func (s *Server) logPanic(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		s.logger.Printf("api: admin panic in %s: %v", r.URL.Path, rec)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// guardAdmin protects internal endpoints: they are not behind the public
// middleware chain.
func (s *Server) guardAdmin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() { s.logPanic(w, r) }()
		if r.Header.Get("X-Admin-Token") == "" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// recoverJob is deferred directly by background jobs, so its recover works.
func (s *Server) recoverJob(name string) {
	if rec := recover(); rec != nil {
		s.logger.Printf("api: job %s panicked: %v\n%s", name, rec, debug.Stack())
	}
}

// RunJob runs fn in the background with panic protection.
func (s *Server) RunJob(name string, fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.recoverJob(name)
		fn()
	}()
}

func (s *Server) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		merchant := r.Header.Get("X-Merchant-ID")
		if merchant != "" && !s.limiter.Allow(merchant) {
			w.Header().Set("Retry-After", fmt.Sprint(1))
			http.Error(w, "rate limited", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
