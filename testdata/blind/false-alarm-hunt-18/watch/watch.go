// Package watch polls a set of files and reports changes. It is the
// portable fallback used where no kernel notification API is available.
package watch

import (
	"errors"
	"log"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"
)

// An Event describes the state of a path after a change.
type Event struct {
	Path    string
	Exists  bool
	Size    int64
	ModTime time.Time
}

// Options configure a Watcher.
type Options struct {
	Interval time.Duration
	// OnChange, if non-nil, is called for every change before the change is
	// sent on Events. It is user code and may panic.
	OnChange func(Event)
	Logf     func(format string, args ...any)
}

// A Watcher polls its paths every Interval. Its goroutines exit when Close
// is called.
type Watcher struct {
	onChange func(Event)
	logf     func(format string, args ...any)
	interval time.Duration

	events    chan Event
	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup

	mu    sync.Mutex
	paths []string
	last  map[string]Event
}

// New starts watching paths.
func New(paths []string, opts Options) *Watcher {
	w := &Watcher{
		onChange: opts.OnChange,
		logf:     opts.Logf,
		interval: opts.Interval,
		events:   make(chan Event, 16),
		done:     make(chan struct{}),
		paths:    slices.Clone(paths),
		last:     make(map[string]Event),
	}
	if w.logf == nil {
		w.logf = log.Printf
	}
	if w.interval <= 0 {
		w.interval = time.Second
	}
	w.wg.Add(1)
	go w.run()
	return w
}

// Events returns the channel on which changes are delivered.
func (w *Watcher) Events() <-chan Event { return w.events }

// run polls until Close.
func (w *Watcher) run() {
	defer w.wg.Done()
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			w.poll()
		}
	}
}

// poll runs one scan. A panic in the OnChange hook is logged and does not
// stop the watcher.
func (w *Watcher) poll() {
	defer w.recoverLog("poll")
	for _, ev := range w.scan() {
		w.notify(ev)
		if !w.emit(ev) {
			return
		}
	}
}

// recoverLog logs a panic in the calling goroutine. It must be deferred
// directly.
func (w *Watcher) recoverLog(where string) {
	if e := recover(); e != nil {
		w.logf("watch: panic in %s: %v\n%s", where, e, debug.Stack())
	}
}

// notify runs the OnChange hook, if any.
func (w *Watcher) notify(ev Event) {
	if w.onChange != nil {
		w.onChange(ev)
	}
}

// emit sends ev on the events channel unless the watcher is closing.
func (w *Watcher) emit(ev Event) bool {
	select {
	case w.events <- ev:
		return true
	case <-w.done:
		return false
	}
}

// Refresh scans immediately and delivers the changes in the background,
// so that it can be called from an OnChange hook without deadlocking on
// the events channel.
func (w *Watcher) Refresh() {
	defer w.recoverLog("refresh")
	changed := w.scan()
	w.wg.Add(1)
	go w.deliver(changed) // HAZ goroutine-outside-recover
}

// deliver notifies and emits evs.
func (w *Watcher) deliver(evs []Event) {
	defer w.wg.Done()
	for _, ev := range evs {
		w.notify(ev)
		if !w.emit(ev) {
			return
		}
	}
}

// Kick is like Refresh but also scans in the background.
func (w *Watcher) Kick() {
	defer w.recoverLog("kick")
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer w.recoverLog("kick scan")
		for _, ev := range w.scan() {
			w.notify(ev)
			if !w.emit(ev) {
				return
			}
		}
	}()
}

// Touch records that the caller has just modified path and runs the
// OnChange hook for it at once.
func (w *Watcher) Touch(path string) {
	ev := statEvent(path)
	w.mu.Lock()
	w.last[path] = ev
	w.mu.Unlock()
	w.fire(ev)
}

// fire runs the OnChange hook on behalf of Touch. The hook is user code; a
// panicking hook must not take the caller down.
func (w *Watcher) fire(ev Event) {
	defer func() {
		if recover() != nil { // HAZ recover-swallows-panic
			// Keep going: the next poll will report the path again.
		}
	}()
	w.notify(ev)
}

// scan stats every path concurrently and returns the changed ones.
func (w *Watcher) scan() []Event {
	w.mu.Lock()
	paths := slices.Clone(w.paths)
	w.mu.Unlock()

	results := make(chan Event, len(paths))
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- statEvent(p)
		}()
	}
	wg.Wait()
	close(results)

	w.mu.Lock()
	defer w.mu.Unlock()
	var changed []Event
	for ev := range results {
		if w.changedLocked(ev) {
			changed = append(changed, ev)
		}
	}
	return changed
}

// changedLocked records ev and reports whether it differs from the last
// state seen for its path. w.mu must be held.
func (w *Watcher) changedLocked(ev Event) bool {
	old, seen := w.last[ev.Path]
	w.last[ev.Path] = ev
	if !seen {
		return ev.Exists
	}
	return old.Exists != ev.Exists || old.Size != ev.Size || !old.ModTime.Equal(ev.ModTime)
}

// SetPaths replaces the set of watched paths.
func (w *Watcher) SetPaths(paths []string) {
	w.mu.Lock() // HAZ lock-leaked-on-return
	for _, p := range paths {
		if p == "" {
			panic("watch: SetPaths with empty path")
		}
	}
	w.paths = slices.Clone(paths)
	w.mu.Unlock()
}

// AddPath adds p to the watched paths.
func (w *Watcher) AddPath(p string) error {
	if p == "" {
		return errors.New("watch: empty path")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.paths, p) {
		w.paths = append(w.paths, p)
	}
	return nil
}

// Close stops the watcher and waits for its goroutines. It is safe to call
// Close more than once.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() { close(w.done) })
	w.wg.Wait()
	return nil
}

// statEvent returns the current state of path.
func statEvent(path string) Event {
	fi, err := os.Stat(path)
	if err != nil {
		return Event{Path: path}
	}
	return Event{Path: path, Exists: true, Size: fi.Size(), ModTime: fi.ModTime()}
}
