package web

import (
	"log"
	"net/http"
	"runtime/debug"
	"time"

	"example.com/newsletter/internal/obs"
)

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the code and forwards it.
func (sr *statusRecorder) WriteHeader(code int) {
	sr.status = code
	sr.ResponseWriter.WriteHeader(code)
}

// Recover turns a handler panic into a 500 and a logged stack trace.
func Recover(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// AccessLog logs one line per request with its duration, measured when the
// handler returns.
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

// logPanic logs a recovered panic together with the request line.
func logPanic(logger *log.Logger, r *http.Request) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s %s: %v", r.Method, r.URL.Path, rec)
		obs.Default.Inc("http_panics")
	}
}

// WithPanicLog is the lightweight variant of Recover used for the admin
// mux: it counts requests and logs panics.
func WithPanicLog(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			logPanic(logger, r)
			obs.Default.Inc("admin_requests")
		}()
		next.ServeHTTP(w, r)
	})
}
