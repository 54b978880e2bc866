package main

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"example.com/crt/internal/state"
)

// collectGarbage removes the state of containers whose shim is gone (after
// a node crash, or a shim killed with SIGKILL) and whose state file has
// not been touched for maxAge.
func (d *daemon) collectGarbage(maxAge time.Duration) (int, error) {
	defer d.timed("gc")()
	stale, err := d.store.Stale(maxAge, time.Now())
	if err != nil {
		return 0, err
	}
	removed := 0
	var errs []error
	for _, id := range stale {
		ok, err := d.removeIfDead(id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			removed++
		}
	}
	return removed, errors.Join(errs...)
}

// removeIfDead deletes the state of id unless its shim is alive. A live
// shim holds shim.lock in the container's state directory.
func (d *daemon) removeIfDead(id string) (bool, error) {
	l, err := state.AcquireLock(filepath.Join(d.store.Dir(id), "shim.lock"))
	defer l.Release() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, state.ErrLocked) {
			return false, nil
		}
		return false, err
	}
	d.forget(id)
	return true, d.store.Delete(id)
}

// gcLoop runs collectGarbage every interval until ctx is done.
func (d *daemon) gcLoop(ctx context.Context, interval, maxAge time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := d.collectGarbage(maxAge)
		if err != nil {
			d.log.Printf("gc: %v", err)
		}
		if n > 0 {
			d.log.Printf("gc: removed %d stale containers", n)
		}
		if err := d.compact(); err != nil {
			d.log.Printf("compact event log: %v", err)
		}
	}
}
