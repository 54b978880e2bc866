package obs

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Recover logs a panic together with its stack. It only works when it is the
// deferred function itself:
//
//	defer obs.Recover(logger, "cache warm")
func Recover(logger *slog.Logger, where string) {
	if r := recover(); r != nil {
		logger.Error("panic recovered", "where", where, "panic", r, "stack", string(debug.Stack()))
	}
}

// RecoverTo turns a panic into an error joined into *errp. Defer it directly
// in a function with a named error result.
func RecoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = errors.Join(*errp, fmt.Errorf("panic: %v", r))
	}
}

// Go runs fn on a new goroutine that has its own recover, so that a panic in
// background work is logged instead of killing the process.
func Go(logger *slog.Logger, name string, fn func()) {
	go func() {
		defer Recover(logger, name)
		fn()
	}()
}
