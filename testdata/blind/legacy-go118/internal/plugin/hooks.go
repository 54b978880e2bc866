package plugin

import (
	"log"
	"strings"
	"sync"
)

// Event is delivered to hook callbacks.
type Event struct {
	Kind   string
	Source string
	Data   map[string]string
}

// Callback handles one event.
type Callback func(Event)

// Hooks is a list of callbacks per event kind.
type Hooks struct {
	mu    sync.RWMutex
	byKey map[string][]Callback
	wg    sync.WaitGroup
}

// NewHooks returns an empty hook table.
func NewHooks() *Hooks {
	return &Hooks{byKey: make(map[string][]Callback)}
}

// On registers cb for kind.
func (h *Hooks) On(kind string, cb Callback) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byKey[kind] = append(h.byKey[kind], cb)
}

// callbacks returns a copy of the callbacks for kind.
func (h *Hooks) callbacks(kind string) []Callback {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return append([]Callback(nil), h.byKey[kind]...)
}

// Fire runs the callbacks for ev synchronously, in registration order.
func (h *Hooks) Fire(ev Event) {
	for _, cb := range h.callbacks(ev.Kind) {
		cb(ev)
	}
}

// FireAsync runs each callback for ev in its own goroutine.
func (h *Hooks) FireAsync(ev Event) {
	n := 0
	for _, cb := range h.callbacks(ev.Kind) {
		h.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer h.wg.Done()
			cb(ev)
		}()
		n++
	}
	log.Printf("hooks: dispatched %d callbacks for %s", n, ev.Kind)
}

// FireAsyncOK passes each callback to its goroutine explicitly.
func (h *Hooks) FireAsyncOK(ev Event) {
	for _, cb := range h.callbacks(ev.Kind) {
		h.wg.Add(1)
		go func(cb Callback) {
			defer h.wg.Done()
			cb(ev)
		}(cb)
	}
}

// FireGo starts each callback directly with a go statement; cb and ev are
// evaluated when the goroutine is created.
func (h *Hooks) FireGo(ev Event) {
	for _, cb := range h.callbacks(ev.Kind) {
		h.wg.Add(1)
		go h.run(cb, ev)
	}
}

func (h *Hooks) run(cb Callback, ev Event) {
	defer h.wg.Done()
	cb(ev)
}

// Wait blocks until every asynchronously fired callback has returned.
func (h *Hooks) Wait() { h.wg.Wait() }

// Prefixed builds one callback per prefix that forwards matching events.
func Prefixed(prefixes []string, sink func(prefix string, ev Event)) []Callback {
	var cbs []Callback
	for _, prefix := range prefixes {
		prefix := prefix
		cbs = append(cbs, func(ev Event) {
			if strings.HasPrefix(ev.Source, prefix) {
				sink(prefix, ev)
			}
		})
	}
	return cbs
}

// Chain composes callbacks so that each one runs after the previous one.
func Chain(cbs ...Callback) Callback {
	return func(ev Event) {
		for _, cb := range cbs {
			cb(ev)
		}
	}
}

// Indexed returns a callback per position that reports its own index.
func Indexed(n int, report func(i int, ev Event)) []Callback {
	cbs := make([]Callback, 0, n)
	for i := 0; i < n; i++ {
		idx := i
		cbs = append(cbs, func(ev Event) { report(idx, ev) })
	}
	return cbs
}
