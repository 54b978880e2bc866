package exporter

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
)

var errDuplicateCollector = errors.New("exporter: duplicate collector")

// Registry tracks the collectors exposed on /metrics.
type Registry struct {
	mu         sync.Mutex
	collectors map[string]Collector
	log        *slog.Logger
}

func NewRegistry(log *slog.Logger) *Registry {
	return &Registry{collectors: make(map[string]Collector), log: log}
}

// MustRegister registers c and panics on a duplicate name, like the
// Prometheus client does.
func (r *Registry) MustRegister(cs ...Collector) {
	for _, c := range cs {
		r.mu.Lock() // HAZ lock-leaked-on-return
		if _, dup := r.collectors[c.Name()]; dup {
			panic(fmt.Sprintf("exporter: collector %q already registered", c.Name()))
		}
		r.collectors[c.Name()] = c
		r.mu.Unlock()
	}
}

// unlockAndWarn releases r.mu and logs why a registration was refused.
func (r *Registry) unlockAndWarn(name, why string) {
	r.mu.Unlock()
	r.log.Warn("collector not registered", "collector", name, "reason", why)
}

// Register is the non-panicking variant used for optional collectors.
func (r *Registry) Register(c Collector) error {
	name := c.Name()
	r.mu.Lock()
	if name == "" {
		r.unlockAndWarn(name, "empty name") // ok: helper releases the lock
		return errors.New("exporter: collector without a name")
	}
	if _, dup := r.collectors[name]; dup {
		r.unlockAndWarn(name, "duplicate")
		return fmt.Errorf("%w: %q", errDuplicateCollector, name)
	}
	r.collectors[name] = c
	r.mu.Unlock()
	return nil
}

// Unregister removes a collector by name.
func (r *Registry) Unregister(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.collectors[name]
	delete(r.collectors, name)
	return ok
}
