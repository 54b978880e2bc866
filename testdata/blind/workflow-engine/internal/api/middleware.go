package api

import (
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
)

// Recover turns a panic in next into a 500 response and a log line with the
// stack, instead of a dropped connection.
func Recover(next http.Handler, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				logger.Printf("api: %s %s: panic: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// guard is the older panic guard still wrapped around the admin routes.
func guard(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next(w, r)
		if p := recover(); p != nil { // HAZ recover-ineffective
			http.Error(w, fmt.Sprint(p), http.StatusInternalServerError)
		}
	}
}
