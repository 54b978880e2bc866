package pump

import (
	"context"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Change is a file-system change reported by the platform watcher.
type Change struct {
	Path string
	Op   string
}

// Rule selects the changes a Watcher processes.
type Rule interface {
	Match(Change) bool
}

// SuffixRule matches paths with the given suffix.
type SuffixRule string

// Match implements Rule.
func (s SuffixRule) Match(c Change) bool { return strings.HasSuffix(c.Path, string(s)) }

// Watcher processes the changes that match all of its rules. The changes
// channel belongs to a platform subscription that lives as long as the
// process and is never closed.
type Watcher struct {
	changes   <-chan Change
	rules     []Rule
	process   func(Change, io.Reader) error
	heartbeat time.Duration

	handled atomic.Int64
	errors  atomic.Int64
	beats   atomic.Int64
}

// NewWatcher returns a watcher; call Start or Serve to run it.
func NewWatcher(changes <-chan Change, process func(Change, io.Reader) error, rules ...Rule) *Watcher {
	return &Watcher{changes: changes, rules: rules, process: process, heartbeat: 30 * time.Second}
}

// Start runs the watcher for the lifetime of the process.
func (w *Watcher) Start() {
	go w.loop()
}

func (w *Watcher) loop() {
	heartbeat := time.NewTicker(w.heartbeat)
	defer heartbeat.Stop()
outer:
	for {
		select {
		case ch := <-w.changes:
			for _, r := range w.rules {
				if !r.Match(ch) {
					continue outer
				}
			}
			f, err := os.Open(ch.Path)
			if err != nil {
				w.errors.Add(1)
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			w.handle(ch, f)
		case <-heartbeat.C:
			w.beats.Add(1)
		}
	}
}

// Serve is the cancellable form of the loop: every file is closed before
// the next change is taken.
func (w *Watcher) Serve(ctx context.Context) error {
	heartbeat := time.NewTicker(w.heartbeat)
	defer heartbeat.Stop()
outer:
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ch := <-w.changes:
			for _, r := range w.rules {
				if !r.Match(ch) {
					continue outer
				}
			}
			func() {
				f, err := os.Open(ch.Path)
				if err != nil {
					w.errors.Add(1)
					return
				}
				defer f.Close()
				w.handle(ch, f)
			}()
		case <-heartbeat.C:
			w.beats.Add(1)
		}
	}
}

// handle processes one change and counts it even when process panics.
func (w *Watcher) handle(ch Change, r io.Reader) {
	defer func() {
		noteCrash("watcher " + ch.Path)
		w.handled.Add(1)
	}()
	if err := w.process(ch, r); err != nil {
		w.errors.Add(1)
	}
}

// Handled returns the number of processed changes.
func (w *Watcher) Handled() int64 { return w.handled.Load() }
