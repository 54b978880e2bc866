// Package reloader re-reads a configuration file on SIGHUP.
package reloader

import (
	"os"
	"os/signal"
	"syscall"
)

// Watch calls reload on every SIGHUP until stop is closed.
func Watch(reload func(), stop <-chan struct{}) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-hup:
			reload()
		case <-stop:
			return
		}
	}
}
