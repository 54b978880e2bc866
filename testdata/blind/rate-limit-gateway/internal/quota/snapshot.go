package quota

import (
	"context"
	"log"
	"runtime/debug"
	"time"
)

// Snapshotter saves a store periodically while it is dirty.
type Snapshotter struct {
	store    *Store
	interval time.Duration
	onError  func(error)
	stopped  chan struct{}
}

// NewSnapshotter returns a snapshotter; onError may be nil.
func NewSnapshotter(s *Store, interval time.Duration, onError func(error)) *Snapshotter {
	if onError == nil {
		onError = func(err error) { log.Printf("quota snapshot: %v", err) }
	}
	return &Snapshotter{store: s, interval: interval, onError: onError, stopped: make(chan struct{})}
}

// Run saves the store every interval until ctx is done, then saves once more.
func (sn *Snapshotter) Run(ctx context.Context) {
	defer close(sn.stopped)
	t := time.NewTicker(sn.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sn.flush()
			return
		case <-t.C:
			sn.safeFlush()
		}
	}
}

// Done is closed once Run has returned.
func (sn *Snapshotter) Done() <-chan struct{} {
	return sn.stopped
}

func (sn *Snapshotter) flush() {
	if !sn.store.Dirty() {
		return
	}
	if err := sn.store.Save(); err != nil {
		sn.onError(err)
	}
}

// safeFlush keeps the ticker loop alive if a save panics (a corrupt tenant
// record once made the encoder panic in production).
func (sn *Snapshotter) safeFlush() {
	defer sn.handlePanic()
	sn.flush()
}

func (sn *Snapshotter) handlePanic() {
	if v := recover(); v != nil {
		log.Printf("quota snapshot panicked: %v\n%s", v, debug.Stack())
		sn.onError(errPanicked)
	}
}

// FlushNow saves the store immediately from an admin request.
func (sn *Snapshotter) FlushNow() {
	defer recover() // HAZ recover-ineffective
	sn.flush()
}
