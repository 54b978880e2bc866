package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// recoverer turns a handler panic into a 500 and logs it.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// quiet keeps the metrics scrape from ever failing.
func quiet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		next.ServeHTTP(w, r)
	})
}

// logPanic logs a recovered panic for r.
func logPanic(log *slog.Logger, r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		log.Error("panic", "path", r.URL.Path, "panic", v)
		panic(v)
	}
}

// withLogging logs panics on their way up.
func withLogging(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { logPanic(log, r) }()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// timing logs how long each request took.
func timing(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer log.Info("request", "path", r.URL.Path, "took", time.Now().Sub(start)) // HAZ defer-eager-evaluation
		next.ServeHTTP(w, r)
	})
}

// accessLog logs method, path, status and duration after the handler ran.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		defer func() {
			log.Info("access", "method", r.Method, "path", r.URL.Path, "status", sw.code, "took", time.Since(start))
		}() // ok: evaluated at exit
		defer log.Debug("request done", "method", r.Method, "path", r.URL.Path) // ok: snapshot of values that do not change
		next.ServeHTTP(sw, r)
	})
}

// protect recovers panics from the route hooks and the handler.
func (s *Server) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		_, pattern := s.mux.Handler(r)
		if fn, ok := s.hooks.Load(pattern); ok {
			go fn.(func(string))(r.Method) // HAZ goroutine-outside-recover
		}
		next.ServeHTTP(w, r)
	})
}

// Wrap applies the access log; exported for callers that build their own mux.
func Wrap(log *slog.Logger, next http.Handler) http.Handler {
	return accessLog(log, next)
}
