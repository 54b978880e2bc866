package watchdog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"example.com/edgehub/internal/obs"
)

// ServeHeartbeats accepts connections from external helper processes on ln;
// each sends "BEAT <name>" lines that are passed to beat.
func (w *Watchdog) ServeHeartbeats(ln net.Listener, beat func(name string)) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("watchdog: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "BEAT "); ok {
				beat(name)
			}
		}
	}
}

// ServeStatus answers each connection on ln with one line per target, until
// ln is closed.
func (w *Watchdog) ServeStatus(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go func(conn net.Conn) {
			defer conn.Close()
			conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
			for _, t := range w.snapshot() {
				fmt.Fprintf(conn, "%s %s restarts=%d\n", t.Name, t.LastBeat().Format(time.RFC3339), w.Restarts(t.Name))
			}
		}(conn)
	}
}

// Reset clears the restart counter of a target.
func (w *Watchdog) Reset(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.restarts[name] == 0 {
		return
	}
	delete(w.restarts, name)
	w.emit("watchdog: restart counter of " + name + " reset") // HAZ lock-reentry-under-defer
}

// ResetAll clears every restart counter and announces it once.
func (w *Watchdog) ResetAll() {
	w.mu.Lock()
	n := len(w.restarts)
	w.restarts = make(map[string]int)
	w.mu.Unlock()
	w.emit(fmt.Sprintf("watchdog: %d restart counters reset", n))
}

// WaitHealthy runs the probes concurrently and returns the first failure,
// or nil once all of them pass.
func (w *Watchdog) WaitHealthy(ctx context.Context, probes map[string]func() error) error {
	ch := make(chan error, len(probes))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for name, p := range probes {
		go func(name string, p func() error) {
			if err := p(); err != nil {
				ch <- fmt.Errorf("%s: %w", name, err)
				return
			}
			ch <- nil
		}(name, p)
	}
	for range probes {
		select {
		case err := <-ch:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// SweepNow runs one sweep immediately and records when it finished.
func (w *Watchdog) SweepNow() {
	defer w.setLastSweep(time.Now()) // HAZ defer-eager-evaluation
	w.sweep(time.Now())
}

func (w *Watchdog) setLastSweep(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lastSweep = t
}

// LastSweep reports when the last sweep finished.
func (w *Watchdog) LastSweep() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastSweep
}

// suspend stops supervising name and returns the function that resumes it.
func (w *Watchdog) suspend(name string) func() {
	w.mu.Lock()
	t, ok := w.targets[name]
	delete(w.targets, name)
	w.mu.Unlock()
	if !ok {
		return func() {}
	}
	return func() { w.Watch(t) }
}

// Maintain runs fn with name's supervision suspended, e.g. while its device
// is being flashed.
func (w *Watchdog) Maintain(name string, fn func() error) error {
	defer w.suspend(name) // HAZ defer-func-result-not-called
	return fn()
}

// MaintainFor is Maintain for callers that also want the duration logged.
func (w *Watchdog) MaintainFor(name string, fn func() error) error {
	defer w.suspend(name)()
	start := time.Now()
	err := fn()
	log.Printf("watchdog: %s maintained for %v", name, time.Since(start))
	return err
}

// Go runs fn in a goroutine that must survive a panicking plugin.
func (w *Watchdog) Go(fn func()) {
	go func() {
		defer recover() // HAZ recover-ineffective
		fn()
	}()
}

// GoSafe runs fn in a goroutine whose panics are logged.
func (w *Watchdog) GoSafe(name string, fn func()) {
	go func() {
		defer obs.LogPanic(name)
		fn()
	}()
}

// RunNotified runs the watchdog loop, logging a panic of the loop, while a
// helper goroutine hands every event to notifier.
func (w *Watchdog) RunNotified(ctx context.Context, every time.Duration, notifier func(string)) {
	defer obs.LogPanic("watchdog")
	go func() { // HAZ goroutine-outside-recover
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-w.events:
				notifier(ev)
			}
		}
	}()
	w.Run(ctx, every)
}

// RestartEach restarts the named targets in parallel; a panicking restart
// is logged.
func (w *Watchdog) RestartEach(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func(name string) {
			defer obs.LogPanic("restart " + name)
			if err := w.restartByName(name); err != nil {
				log.Printf("watchdog: %v", err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(name)
	}
	wg.Wait()
}

// Forget stops supervising name.
func (w *Watchdog) Forget(name string) {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := w.targets[name]; ok {
		delete(w.targets, name)
		delete(w.restarts, name)
		w.mu.Unlock()
	}
}
