package kv

import (
	"log"
	"sync"
	"sync/atomic"
)

// Hooks is a list of user callbacks run on store events. A misbehaving hook
// must not take the store down with it.
type Hooks struct {
	mu       sync.Mutex
	list     []func(Event)
	logger   *log.Logger
	failures atomic.Int64
}

// NewHooks returns an empty hook list that logs to logger.
func NewHooks(logger *log.Logger) *Hooks {
	return &Hooks{logger: logger}
}

// Register adds fn to the list.
func (h *Hooks) Register(fn func(Event)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.list = append(h.list, fn)
}

func (h *Hooks) snapshot() []func(Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]func(Event){}, h.list...)
}

// Fire runs every hook in registration order.
func (h *Hooks) Fire(ev Event) {
	for _, fn := range h.snapshot() {
		h.call(fn, ev)
	}
}

// FireAsync runs each hook on its own goroutine.
func (h *Hooks) FireAsync(ev Event) {
	for _, fn := range h.snapshot() {
		go h.call(fn, ev)
	}
}

// call runs one hook, logging and counting a panic instead of propagating it.
func (h *Hooks) call(fn func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil {
			h.failures.Add(1)
			h.logger.Printf("kv: hook panicked on %q: %v", ev.Key, r)
		}
	}()
	fn(ev)
}

// FireBestEffort is used on the shutdown path, after the log sink may
// already have been closed.
func (h *Hooks) FireBestEffort(ev Event) {
	for _, fn := range h.snapshot() {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// the logger may be gone; nothing useful to do here
				}
			}()
			fn(ev)
		}()
	}
}
