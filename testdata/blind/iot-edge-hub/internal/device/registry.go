package device

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
)

// Registry holds the devices attached to the hub.
type Registry struct {
	mu   sync.RWMutex
	devs map[string]*Device
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{devs: make(map[string]*Device)}
}

// Add registers d; device IDs must be unique.
func (r *Registry) Add(d *Device) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.devs[d.ID]; dup {
		return fmt.Errorf("device %s already registered", d.ID)
	}
	r.devs[d.ID] = d
	return nil
}

// Get returns the device with the given ID.
func (r *Registry) Get(id string) (*Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.devs[id]
	return d, ok
}

// Remove unregisters a device and reports whether it was present.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	_, ok := r.devs[id]
	delete(r.devs, id)
	r.mu.Unlock()
	return ok
}

// IDs returns the registered device IDs in order.
func (r *Registry) IDs() []string {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(r.devs))
	for id := range r.devs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// List returns the registered devices ordered by ID.
func (r *Registry) List() []*Device {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Device, 0, len(r.devs))
	for _, d := range r.devs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Statuses returns the status of every device, ordered by ID.
func (r *Registry) Statuses() []Status {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Status, 0, len(r.devs))
	for _, d := range r.devs {
		out = append(out, d.Snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// StartAll starts one reader goroutine per registered device and returns how
// many were started.
func (r *Registry) StartAll(ctx context.Context, out chan<- Sample) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for _, d := range r.devs {
		go func() { // HAZ loop-var-capture
			if err := NewReader(d, out).Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				log.Printf("device %s: reader stopped: %v", d.ID, err)
			}
		}()
		n++
	}
	return n
}
