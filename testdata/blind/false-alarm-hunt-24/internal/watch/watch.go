// Package watch rebuilds generated code when templates change and answers
// requests from editor integrations.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"maps"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah24/internal/fsutil"
)

// Event reports one rebuild to the UI.
type Event struct {
	Kind string
	Err  error
	At   time.Time
}

// Watcher polls a template tree and calls rebuild on change.
type Watcher struct {
	root     string
	interval time.Duration
	rebuild  func(context.Context) error
	log      *log.Logger

	events chan Event    // buffered; slow UIs miss events rather than stall us
	idle   chan struct{} // unbuffered handshake read by the interactive status line

	paused atomic.Int32 // > 0 while our own rebuild writes files

	mu   sync.RWMutex
	last map[string]time.Time
}

// New returns a watcher for root. The idle channel is only read when the
// interactive status line is enabled.
func New(root string, interval time.Duration, rebuild func(context.Context) error, logger *log.Logger) *Watcher {
	return &Watcher{
		root:     root,
		interval: interval,
		rebuild:  rebuild,
		log:      logger,
		events:   make(chan Event, 16),
		idle:     make(chan struct{}),
	}
}

// Events delivers rebuild notifications.
func (w *Watcher) Events() <-chan Event { return w.events }

// Idle receives a token each time a requested rebuild finishes.
func (w *Watcher) Idle() <-chan struct{} { return w.idle }

// Run polls until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if w.paused.Load() > 0 {
			continue
		}
		changed, err := w.scan()
		if err != nil {
			w.log.Printf("scan %s: %v", w.root, err)
			continue
		}
		if changed {
			if err := w.rebuildAndReport(ctx); err != nil {
				w.log.Printf("rebuild: %v", err)
			}
		}
	}
}

// scan records template modification times and reports whether any
// changed since the previous scan.
func (w *Watcher) scan() (bool, error) {
	seen := make(map[string]time.Time)
	for p := range fsutil.Files(w.root, ".tmpl") {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, err
		}
		seen[p] = info.ModTime()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := !maps.EqualFunc(seen, w.last, time.Time.Equal)
	w.last = seen
	return changed, nil
}

// rebuildAndReport rebuilds with change detection paused and posts the
// outcome; the deferred closure reads err when it runs, so the event
// carries the real result.
func (w *Watcher) rebuildAndReport(ctx context.Context) (err error) {
	defer func() { w.notify(Event{Kind: "rebuilt", Err: err, At: time.Now()}) }()
	defer w.pause()()
	return w.rebuild(ctx)
}

// pause stops change detection and returns the function that resumes it.
func (w *Watcher) pause() func() {
	w.paused.Add(1)
	return func() { w.paused.Add(-1) }
}

// Regenerate runs a rebuild requested by the user, with change detection
// paused so that the files it writes do not trigger a second rebuild.
func (w *Watcher) Regenerate(ctx context.Context) error {
	defer w.pause() // HAZ defer-func-result-not-called
	return w.rebuild(ctx)
}

// RebuildLogged rebuilds and logs the outcome with its duration.
func (w *Watcher) RebuildLogged(ctx context.Context) (err error) {
	start := time.Now()
	defer w.logResult("rebuild", start, err) // HAZ defer-eager-evaluation
	if w.paused.Load() > 0 {
		return errors.New("watcher is paused")
	}
	err = w.rebuild(ctx)
	return err
}

// logResult logs the outcome of an operation that started at start.
func (w *Watcher) logResult(what string, start time.Time, err error) {
	if err != nil {
		w.log.Printf("%s failed after %v: %v", what, time.Since(start), err)
		return
	}
	w.log.Printf("%s done in %v", what, time.Since(start))
}

// RebuildTimed is RebuildLogged done right: the outcome is read by a
// deferred closure at exit, and start is a deliberate snapshot.
func (w *Watcher) RebuildTimed(ctx context.Context) (err error) {
	start := time.Now()
	defer func() { w.logResult("rebuild", start, err) }()
	return w.rebuild(ctx)
}

// notify posts ev without ever blocking the watcher.
func (w *Watcher) notify(ev Event) {
	select {
	case w.events <- ev:
	default:
	}
}

// Rebuild runs one rebuild on request from the editor and then hands the
// idle token to the status line.
func (w *Watcher) Rebuild(ctx context.Context) error {
	defer func() { w.idle <- struct{}{} }() // HAZ defer-blocking-call
	w.log.Printf("rebuild requested for %s", w.root)
	return w.rebuild(ctx)
}

// Seen returns a copy of the modification times of the last scan.
func (w *Watcher) Seen() map[string]time.Time {
	w.mu.Lock()
	defer w.mu.RUnlock() // HAZ defer-lock-mismatch
	return maps.Clone(w.last)
}

// Tracked reports how many templates the last scan saw.
func (w *Watcher) Tracked() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.last)
}

// Supervise runs the status server next to the polling loop. A panic in
// the polling loop is turned into an error for the caller.
func (w *Watcher) Supervise(ctx context.Context, reqs <-chan Request) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("watcher panicked: %v", v)
		}
	}()
	go w.ServeStatus(ctx, reqs) // HAZ goroutine-outside-recover
	return w.Run(ctx)
}

// Touch forces the next scan to see a change.
func (w *Watcher) Touch() {
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.last)
	w.last = nil
}
