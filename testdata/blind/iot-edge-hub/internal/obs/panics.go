package obs

import (
	"fmt"
	"log"
	"runtime/debug"
)

// LogPanic recovers a panic of the calling goroutine and logs it with its
// stack. Defer it directly: defer obs.LogPanic("reader").
func LogPanic(where string) {
	if r := recover(); r != nil {
		log.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// RecoverError turns a panic of the calling goroutine into an error stored in
// *errp. Defer it directly: defer obs.RecoverError(&err, "decode").
func RecoverError(errp *error, where string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v", where, r)
	}
}
