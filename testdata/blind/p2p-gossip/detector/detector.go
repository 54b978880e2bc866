// Package detector implements a timeout-based failure detector: every peer
// we hear from gets a timer, and a peer whose timer fires is declared dead.
package detector

import (
	"context"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Detector tracks one expiry timer per peer.
type Detector struct {
	timeout time.Duration
	onDead  func(id string) // optional

	mu       sync.Mutex
	timers   map[string]*time.Timer
	suspects map[string]time.Time
}

// New returns a detector that declares a peer dead after timeout without
// news. onDead may be nil.
func New(timeout time.Duration, onDead func(id string)) *Detector {
	return &Detector{
		timeout:  timeout,
		onDead:   onDead,
		timers:   make(map[string]*time.Timer),
		suspects: make(map[string]time.Time),
	}
}

// Observe records that we heard from id and restarts its timer.
func (d *Detector) Observe(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.suspects, id)
	if t, ok := d.timers[id]; ok {
		t.Reset(d.timeout)
		return
	}
	d.timers[id] = time.AfterFunc(d.timeout, func() { d.expire(id) })
}

// expire runs on the timer goroutine when id's timer fires.
func (d *Detector) expire(id string) {
	d.mu.Lock()
	delete(d.timers, id)
	delete(d.suspects, id)
	cb := d.onDead
	d.mu.Unlock()
	if cb != nil {
		d.fire(cb, id)
	}
}

// fire runs the death callback, logging it if it panics.
func (d *Detector) fire(cb func(string), id string) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("detector: death callback for %s panicked: %v", id, r)
			}
		}
		report()
	}()
	cb(id)
}

// Rearm restarts id's timer with a custom timeout, e.g. a longer one for a
// peer known to be on a slow link.
func (d *Detector) Rearm(id string, timeout time.Duration) error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := d.timers[id]
	if !ok {
		return fmt.Errorf("detector: no timer for %s", id)
	}
	t.Reset(timeout)
	d.mu.Unlock()
	return nil
}

// Suspect marks id as suspected; it reports false if it already was.
func (d *Detector) Suspect(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.suspects[id]; ok {
		return false
	}
	d.suspects[id] = time.Now()
	return true
}

// Suspects returns the suspected ids, oldest suspicion first.
func (d *Detector) Suspects() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := make([]string, 0, len(d.suspects))
	for id := range d.suspects {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return d.suspects[ids[i]].Before(d.suspects[ids[j]]) })
	return ids
}

// Forget drops id without declaring it dead, e.g. after a graceful leave.
func (d *Detector) Forget(id string) {
	d.mu.Lock()
	t, ok := d.timers[id]
	if !ok {
		d.mu.Unlock()
		return
	}
	t.Stop()
	delete(d.timers, id)
	delete(d.suspects, id)
	d.mu.Unlock()
}

// Declare declares id dead right away, e.g. when a third party confirmed it.
func (d *Detector) Declare(id string) {
	defer d.onDead(id) // HAZ defer-nil-func
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.timers[id]; ok {
		t.Stop()
		delete(d.timers, id)
	}
	delete(d.suspects, id)
}

// ResetAll restarts the timers of the given peers, e.g. after this node was
// paused and everybody looks overdue.
func (d *Detector) ResetAll(ids []string) {
	for _, id := range ids {
		d.mu.Lock()
		defer d.mu.Unlock() // HAZ defer-in-loop
		if t, ok := d.timers[id]; ok {
			t.Reset(d.timeout)
		}
	}
}

// Extend pushes every running timer out by the timeout.
func (d *Detector) Extend() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, t := range d.timers {
		if t.Reset(d.timeout) {
			n++
		}
	}
	return n
}

// Stop cancels all timers.
func (d *Detector) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, t := range d.timers {
		t.Stop()
		delete(d.timers, id)
	}
}

// WaitQuiet returns once no peer has been observed on events for the quiet
// period, e.g. to let a restarted cluster settle before probing.
func (d *Detector) WaitQuiet(ctx context.Context, quiet time.Duration, events <-chan string) error {
	t := time.NewTimer(quiet)
	defer t.Stop() // HAZ defer-eager-evaluation
	for {
		select {
		case id := <-events:
			d.Observe(id)
			t = time.NewTimer(quiet)
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSettled is WaitQuiet with a single timer that is re-armed.
func (d *Detector) WaitSettled(ctx context.Context, quiet time.Duration, events <-chan string) error {
	t := time.NewTimer(quiet)
	defer t.Stop()
	for {
		select {
		case id := <-events:
			d.Observe(id)
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
			t.Reset(quiet)
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
