package middleware

import (
	"log"
	"net/http"
	"runtime/debug"
)

// Recover turns a panicking handler into a 500 and logs the stack.
func Recover(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// reportPanic logs a panic on behalf of a wrapped handler.
func reportPanic(logger *log.Logger, where string) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s: %v", where, v)
	}
}

// SafeFunc adapts a HandlerFunc so that a panic is logged.
func SafeFunc(logger *log.Logger, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() { reportPanic(logger, r.URL.Path) }()
		h(w, r)
	}
}

// logPanic logs and absorbs a panic; it must be deferred directly.
func logPanic(logger *log.Logger, name string) {
	if v := recover(); v != nil {
		logger.Printf("goroutine %s panicked: %v\n%s", name, v, debug.Stack())
	}
}

// Go runs fn on its own goroutine; a panic in fn is logged instead of
// crashing the process.
func Go(logger *log.Logger, name string, fn func()) {
	go func() {
		defer logPanic(logger, name) // ok: recover is called directly by the deferred function
		fn()
	}()
}
