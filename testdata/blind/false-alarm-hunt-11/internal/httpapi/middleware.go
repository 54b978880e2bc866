// Package httpapi exposes the store over HTTP and provides a client for it.
package httpapi

import (
	"log"
	"net/http"
	"runtime/debug"
	"time"
)

// Recover turns a panicking handler into a 500 response and logs the
// stack. http.ErrAbortHandler is re-raised so that net/http can abort
// the connection as the handler intended.
func Recover(logger *log.Logger, next http.Handler) http.Handler {
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
			http.Error(w, "internal server error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// AccessLog logs one line per request with its status and latency.
func AccessLog(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			logger.Printf("%s %s %d %s", r.Method, r.URL.Path, rec.status, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// RecoverJSON is Recover for JSON APIs: the 500 carries a JSON body.
func RecoverJSON(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			fail := func() {
				if rec := recover(); rec != nil { // HAZ recover-ineffective
					logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
					writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal"})
				}
			}
			fail()
		}()
		next.ServeHTTP(w, r)
	})
}
