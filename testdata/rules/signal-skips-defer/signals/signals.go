// Package signals installs the process's signal handling for the commands of the module.
package signals

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// OnShutdown returns a context cancelled on SIGTERM or SIGINT.
func OnShutdown() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-ch
		cancel()
	}()
	return ctx
}
