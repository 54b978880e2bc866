package plugin

import (
	"log"
	"sync"
)

// Event is a loader lifecycle event.
type Event struct {
	Name   string
	Detail string
}

// HookBus dispatches events to callbacks, isolating their panics.
type HookBus struct {
	logger *log.Logger

	mu       sync.RWMutex
	hooks    map[string][]func(Event)
	legacyCB func(string)
}

// NewHookBus returns an empty bus.
func NewHookBus(logger *log.Logger) *HookBus {
	return &HookBus{logger: logger, hooks: map[string][]func(Event){}}
}

// On registers fn for events named name ("*" for all).
func (b *HookBus) On(name string, fn func(Event)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hooks[name] = append(b.hooks[name], fn)
}

// SetLegacy installs the old single-callback interface.
func (b *HookBus) SetLegacy(fn func(string)) {
	b.mu.Lock()
	b.legacyCB = fn
	b.mu.Unlock()
}

func (b *HookBus) legacy() func(string) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.legacyCB
}

// Emit calls the hooks for ev outside the lock, so a hook may register
// more hooks.
func (b *HookBus) Emit(ev Event) {
	b.mu.RLock()
	hs := append(append([]func(Event){}, b.hooks[ev.Name]...), b.hooks["*"]...)
	b.mu.RUnlock()
	for _, h := range hs {
		b.invoke(h, ev)
	}
}

// invoke runs one hook; recoverHook is deferred directly, so its recover
// stops the panic.
func (b *HookBus) invoke(h func(Event), ev Event) {
	defer b.recoverHook(ev.Name)
	h(ev)
}

// recoverHook logs a hook panic; it must be deferred directly.
func (b *HookBus) recoverHook(event string) {
	if r := recover(); r != nil {
		b.logger.Printf("plugin: hook for %q panicked: %v", event, r)
	}
}
