package fixture

import (
	"log"
	"sync"
)

type pluginHost struct {
	mu     sync.Mutex
	logger *log.Logger
	loaded map[string]string
	alarm  *siren
}

type siren struct{ count int }

// Panic sounds the siren; it is no panic.
func (s *siren) Panic(reason string) { s.count += len(reason) }

// The logger's Panicf panics with h.mu held: whoever recovers it carries on with the lock taken.
func (h *pluginHost) rename(oldName, newName string) {
	h.mu.Lock() // want `h\.mu\.Lock\(\) on line \d+ is not released before the panic on line \d+`
	inst, ok := h.loaded[oldName]
	if !ok {
		h.logger.Panicf("plugin %s is not loaded", oldName)
	}
	delete(h.loaded, oldName)
	h.loaded[newName] = inst
	h.mu.Unlock()
}

// A method named Panic on something that is not a logger returns like any call. No finding.
func (h *pluginHost) drop(name string) {
	h.mu.Lock()
	if _, ok := h.loaded[name]; !ok {
		h.alarm.Panic("unknown plugin " + name)
	}
	delete(h.loaded, name)
	h.mu.Unlock()
}
