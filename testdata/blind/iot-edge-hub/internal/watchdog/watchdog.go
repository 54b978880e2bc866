// Package watchdog restarts device readers that stop producing samples.
package watchdog

import (
	"context"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Target is one supervised reader.
type Target struct {
	Name     string
	LastBeat func() time.Time
	Restart  func() error
}

// Watchdog checks targets periodically and restarts stale ones.
type Watchdog struct {
	stale time.Duration

	mu        sync.Mutex
	targets   map[string]*Target
	restarts  map[string]int
	notifiers []func(string)
	events    chan string
	lastSweep time.Time
}

// New returns a watchdog that restarts targets silent for longer than stale.
func New(stale time.Duration) *Watchdog {
	return &Watchdog{
		stale:    stale,
		targets:  make(map[string]*Target),
		restarts: make(map[string]int),
		events:   make(chan string, 16),
	}
}

// Watch adds or replaces a target.
func (w *Watchdog) Watch(t *Target) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.targets[t.Name] = t
}

// Unwatch removes a target.
func (w *Watchdog) Unwatch(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.targets, name)
}

// Events delivers human-readable watchdog events for the status page.
func (w *Watchdog) Events() <-chan string { return w.events }

// Notify registers fn to be called for every event (e.g. a buzzer, an LED).
func (w *Watchdog) Notify(fn func(string)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.notifiers = append(w.notifiers, fn)
}

// Restarts returns how often the target name was restarted.
func (w *Watchdog) Restarts(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.restarts[name]
}

// snapshot returns the targets ordered by name.
func (w *Watchdog) snapshot() []*Target {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]*Target, 0, len(w.targets))
	for _, t := range w.targets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Stale returns the names of targets silent for longer than the limit.
func (w *Watchdog) Stale(now time.Time) []string {
	var names []string
	for _, t := range w.snapshot() {
		if now.Sub(t.LastBeat()) > w.stale {
			names = append(names, t.Name)
		}
	}
	return names
}

// Run checks the targets every interval until ctx is cancelled.
func (w *Watchdog) Run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	defer func() { w.events <- "watchdog: stopped" }() // HAZ defer-blocking-call
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			w.sweep(now)
		}
	}
}

// sweep checks all targets concurrently and restarts the stale ones.
func (w *Watchdog) sweep(now time.Time) {
	var wg sync.WaitGroup
	for _, t := range w.snapshot() {
		wg.Add(1)
		go func(t *Target) {
			if now.Sub(t.LastBeat()) < w.stale {
				return
			}
			w.restart(t)
			wg.Done() // HAZ waitgroup-done-path
		}(t)
	}
	wg.Wait()
}

// restart restarts t and reports the outcome.
func (w *Watchdog) restart(t *Target) {
	err := w.safeRestart(t)
	w.mu.Lock()
	w.restarts[t.Name]++
	n := w.restarts[t.Name]
	w.mu.Unlock()
	if err != nil {
		w.emit(fmt.Sprintf("watchdog: restart %s failed: %v", t.Name, err))
		return
	}
	w.emit(fmt.Sprintf("watchdog: restarted %s (%d restarts)", t.Name, n))
}

// emit publishes an event without ever blocking the watchdog.
func (w *Watchdog) emit(msg string) {
	select {
	case w.events <- msg:
	default:
		log.Print(msg)
	}
	w.mu.Lock()
	notifiers := make([]func(string), len(w.notifiers))
	copy(notifiers, w.notifiers)
	w.mu.Unlock()
	for _, fn := range notifiers {
		w.notify(fn, msg)
	}
}

// notify calls one notifier; a failing notifier must not stop the watchdog.
func (w *Watchdog) notify(fn func(string), msg string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep the watchdog alive
		}
	}()
	fn(msg)
}

// safeRestart calls t.Restart, turning a panic into an error.
func (w *Watchdog) safeRestart(t *Target) (err error) {
	defer func() {
		if p := catch(); p != nil {
			err = fmt.Errorf("restart %s panicked: %v", t.Name, p)
		}
	}()
	return t.Restart()
}

// catch returns the value of the panic in progress, if any.
func catch() any {
	return recover() // HAZ recover-ineffective
}

// restartByName restarts one target immediately.
func (w *Watchdog) restartByName(name string) error {
	w.mu.Lock()
	t, ok := w.targets[name]
	w.mu.Unlock()
	if !ok {
		return fmt.Errorf("watchdog: no target %q", name)
	}
	w.restart(t)
	return nil
}

// ProbeAll runs the given liveness probes concurrently and returns the
// failures by name.
func (w *Watchdog) ProbeAll(ctx context.Context, probes map[string]func(context.Context) error) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for name, p := range probes {
		wg.Add(1)
		go func(name string, p func(context.Context) error) {
			defer wg.Done()
			if err := p(ctx); err != nil {
				mu.Lock()
				failed[name] = err
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}(name, p)
	}
	wg.Wait()
	return failed
}

// ProbeEach is ProbeAll with the probes bounded by a per-probe timeout.
func (w *Watchdog) ProbeEach(ctx context.Context, timeout time.Duration, probes map[string]func(context.Context) error) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for name, p := range probes {
		wg.Add(1)
		go func(name string, p func(context.Context) error) {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			if err := p(pctx); err != nil {
				mu.Lock()
				defer mu.Unlock()
				failed[name] = err
			}
		}(name, p)
	}
	wg.Wait()
	return failed
}
