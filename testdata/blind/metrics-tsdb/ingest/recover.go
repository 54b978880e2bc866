package ingest

import (
	"log"
	"net/http"
	"runtime/debug"
)

// logPanic logs a recovered panic with its stack trace.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// recoverHTTP turns a handler panic into a 500. Defer it directly.
func recoverHTTP(w http.ResponseWriter, logger *log.Logger) {
	if r := recover(); r != nil {
		if r == http.ErrAbortHandler {
			panic(r)
		}
		logger.Printf("push handler panic: %v\n%s", r, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
