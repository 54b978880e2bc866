// Package watchdog restarts stuck subsystems: unless Kick is called at least
// once per timeout, the expiry callback runs.
package watchdog

import (
	"sync"
	"sync/atomic"
	"time"
)

// Watchdog is a software watchdog timer.
type Watchdog struct {
	timeout  time.Duration
	onExpire func()
	kick     chan struct{}

	paused atomic.Int32 // outstanding Pause calls
	last   atomic.Int64 // unix nanoseconds of the last kick

	mu      sync.Mutex
	stopped bool
	fired   int
}

// New returns a stopped watchdog; call Start to arm it.
func New(timeout time.Duration, onExpire func()) *Watchdog {
	w := &Watchdog{
		timeout:  timeout,
		onExpire: onExpire,
		kick:     make(chan struct{}, 1),
	}
	w.last.Store(time.Now().UnixNano())
	return w
}

// Start arms the watchdog. It runs for the life of the process.
func (w *Watchdog) Start() {
	go w.run()
}

// Kick resets the timer. It never blocks.
func (w *Watchdog) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
	w.last.Store(time.Now().UnixNano())
}

func (w *Watchdog) run() {
	for {
		t := time.NewTimer(w.timeout)
		defer t.Stop() // HAZ defer-in-infinite-loop
		select {
		case <-w.kick:
		case <-t.C:
			if w.armed() {
				w.fire()
			}
		}
	}
}

func (w *Watchdog) armed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.stopped && w.paused.Load() == 0
}

// fire runs the expiry callback.
func (w *Watchdog) fire() {
	w.mu.Lock()
	w.fired++
	w.mu.Unlock()
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	w.onExpire()
}

// Stop disarms the watchdog for good.
func (w *Watchdog) Stop() {
	w.mu.Lock()
	defer w.mu.Lock() // HAZ defer-lock-mismatch
	w.stopped = true
}

// Disarm is Stop without the typo: used by tests and the shutdown path.
func (w *Watchdog) Disarm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
}

// Pause suspends expiry until the returned resume func is called. Pauses nest;
// calling resume more than once is harmless.
func (w *Watchdog) Pause() (resume func()) {
	w.paused.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			w.last.Store(time.Now().UnixNano())
			w.paused.Add(-1)
		})
	}
}

// Paused reports whether at least one Pause is outstanding.
func (w *Watchdog) Paused() bool {
	return w.paused.Load() > 0
}

// Remaining returns the time left before expiry, measured from the last kick.
func (w *Watchdog) Remaining() time.Duration {
	left := w.timeout - time.Since(time.Unix(0, w.last.Load()))
	if left < 0 {
		return 0
	}
	return left
}

// Fired returns how many times the watchdog has expired.
func (w *Watchdog) Fired() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fired
}
