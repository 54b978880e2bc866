// Package watcher is one file: the method the goroutine runs is in another package of the
// module, not in this file.
package watcher

import (
	"context"
	"log"
	"time"

	"example.com/outsiderecover/reload"
)

// Run recovers its own panics, but Watch runs subscribers in a goroutine of its own.
func Run(ctx context.Context, r *reload.Reloader) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("watcher stopped: %v", p)
		}
	}()
	go r.Watch(ctx, time.Second) // want `Run protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs r\.Watch of package example\.com/outsiderecover/reload, which has no recover of its own`
	<-ctx.Done()
}
