package batch

import (
	"log"
	"sync"
	"time"
)

// Debouncer calls fn(key) once a key has been quiet for delay.
type Debouncer struct {
	mu     sync.Mutex
	delay  time.Duration
	timers map[string]*time.Timer
	fn     func(key string)
	logger *log.Logger
}

// NewDebouncer returns a Debouncer.
func NewDebouncer(delay time.Duration, fn func(key string), logger *log.Logger) *Debouncer {
	if logger == nil {
		logger = log.Default()
	}
	return &Debouncer{delay: delay, timers: make(map[string]*time.Timer), fn: fn, logger: logger}
}

// Trigger (re)starts key's quiet period.
func (d *Debouncer) Trigger(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.timers[key]; ok && t.Stop() {
		t.Reset(d.delay) // ok: stopped before the callback ran, safe to reschedule
		return
	}
	d.timers[key] = time.AfterFunc(d.delay, func() { d.fire(key) })
}

func (d *Debouncer) fire(key string) {
	d.mu.Lock()
	delete(d.timers, key)
	d.mu.Unlock()
	d.call(key)
}

// call runs fn; a panicking callback must not crash the timer goroutine.
func (d *Debouncer) call(key string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	d.fn(key)
}

// callLogged is call that reports the panic.
func (d *Debouncer) callLogged(key string) {
	defer d.logPanic(key) // ok: logPanic calls recover directly
	d.fn(key)
}

func (d *Debouncer) logPanic(key string) {
	if r := recover(); r != nil {
		d.logger.Printf("batch: debounced callback for %q panicked: %v", key, r)
	}
}

// Now runs key's callback immediately if it is pending.
func (d *Debouncer) Now(key string) bool {
	d.mu.Lock()
	t, ok := d.timers[key]
	if ok && t.Stop() {
		delete(d.timers, key)
		d.mu.Unlock()
		d.callLogged(key)
		return true
	}
	d.mu.Unlock() // ok: unlocked on both paths
	return false
}

// Cancel drops the pending calls of keys.
func (d *Debouncer) Cancel(keys ...string) {
	for _, k := range keys {
		d.mu.Lock()
		defer d.mu.Unlock() // HAZ defer-in-loop
		if t, ok := d.timers[k]; ok {
			t.Stop()
			delete(d.timers, k)
		}
	}
}

// CancelAll drops every pending call.
func (d *Debouncer) CancelAll() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for k, t := range d.timers {
		if t.Stop() {
			n++
		}
		delete(d.timers, k)
	}
	return n
}

// CancelEach is Cancel with the lock taken per key.
func (d *Debouncer) CancelEach(keys ...string) {
	for _, k := range keys {
		func() {
			d.mu.Lock()
			defer d.mu.Unlock() // ok: released at the end of each literal call
			if t, ok := d.timers[k]; ok {
				t.Stop()
				delete(d.timers, k)
			}
		}()
	}
}

// Pending reports the number of keys waiting to fire.
func (d *Debouncer) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.timers)
}
