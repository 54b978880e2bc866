package httpapi

import (
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// recoverMiddleware turns a handler panic into a 500 response. The
// sentinel http.ErrAbortHandler is re-panicked so net/http can abort the
// connection as intended.
func recoverMiddleware(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
			http.Error(w, "internal error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// auth rejects requests without a valid bearer token.
func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.tokens == nil {
			next.ServeHTTP(w, r)
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			http.Error(w, "missing token", http.StatusUnauthorized)
			return
		}
		if _, valid := s.tokens.Lookup(tok); !valid {
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	sr.status = code
	sr.ResponseWriter.WriteHeader(code)
}

// accessLog logs one line per request after the handler returns.
func accessLog(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer logRequest(logger, r, rec, time.Now())
		next.ServeHTTP(rec, r)
	})
}

// logRequest writes the access log line; start is the time the request
// arrived, rec is read when the handler is done.
func logRequest(logger *log.Logger, r *http.Request, rec *statusRecorder, start time.Time) {
	logger.Printf("%s %s %d %v", r.Method, r.URL.Path, rec.status, time.Since(start))
}
