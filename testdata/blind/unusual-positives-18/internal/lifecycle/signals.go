// Package lifecycle wires process signals into contexts.
package lifecycle

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// WithSignals returns a context cancelled on SIGINT or SIGTERM; call the
// returned stop function to restore default signal handling.
func WithSignals(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}
