// Package gateway is the hub side: it runs the broker for the devices, keeps a
// registry of known devices, serves firmware images and exposes an HTTP API.
package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Device is what the gateway knows about one device.
type Device struct {
	ID       string    `json:"id"`
	Addr     string    `json:"addr,omitempty"`
	Firmware string    `json:"firmware,omitempty"`
	LastSeen time.Time `json:"last_seen"`
	Online   bool      `json:"online"`
}

// Registry is the set of known devices, persisted as JSON.
type Registry struct {
	mu      sync.RWMutex
	devices map[string]*Device
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{devices: make(map[string]*Device)}
}

// Upsert adds or replaces d.
func (r *Registry) Upsert(d Device) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cp := d
	r.devices[d.ID] = &cp
}

// Get returns a copy of the device with the given id.
func (r *Registry) Get(id string) (Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.devices[id]
	if !ok {
		return Device{}, false
	}
	return *d, true
}

// List returns copies of all devices sorted by id.
func (r *Registry) List() []Device {
	r.mu.RLock()
	out := make([]Device, 0, len(r.devices))
	for _, d := range r.devices {
		out = append(out, *d)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Online returns the devices currently connected.
func (r *Registry) Online() []Device {
	var out []Device
	for _, d := range r.List() {
		if d.Online {
			out = append(out, d)
		}
	}
	return out
}

// Touch records that id was seen at now.
func (r *Registry) Touch(id string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.devices[id]
	if !ok {
		return false
	}
	d.LastSeen, d.Online = now, true
	return true
}

// MarkOffline flags every device not in online as offline.
func (r *Registry) MarkOffline(online []string) int {
	set := make(map[string]bool, len(online))
	for _, id := range online {
		set[id] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for id, d := range r.devices {
		if d.Online && !set[id] {
			d.Online = false
			n++
		}
	}
	return n
}

// Remove forgets a device.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.devices[id]
	delete(r.devices, id)
	return ok
}

// Evict forgets devices not seen since before, except those keep wants kept,
// and returns the evicted ids.
func (r *Registry) Evict(before time.Time, keep func(Device) bool) ([]string, error) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	var gone []string
	for id, d := range r.devices {
		if d.LastSeen.After(before) {
			continue
		}
		if d.ID != id {
			return nil, fmt.Errorf("gateway: registry corrupt: key %q holds device %q", id, d.ID)
		}
		if keep != nil && keep(*d) {
			continue
		}
		delete(r.devices, id)
		gone = append(gone, id)
	}
	r.mu.Unlock()
	sort.Strings(gone)
	return gone, nil
}

// Prune is Evict for the janitor: the lock is released on every path because
// the unlock is deferred.
func (r *Registry) Prune(before time.Time) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var gone []string
	for id, d := range r.devices {
		if !d.Online && d.LastSeen.Before(before) {
			delete(r.devices, id)
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	return gone
}

// Save writes the registry to path atomically.
func (r *Registry) Save(path string) (err error) {
	data, err := json.MarshalIndent(r.List(), "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".devices-*")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := tmp.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Load replaces the registry's contents with the devices stored at path.
func (r *Registry) Load(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var devs []Device
	if err := json.NewDecoder(f).Decode(&devs); err != nil {
		return fmt.Errorf("gateway: %s: %w", path, err)
	}
	m := make(map[string]*Device, len(devs))
	for i := range devs {
		devs[i].Online = false
		m[devs[i].ID] = &devs[i]
	}
	r.mu.Lock()
	r.devices = m
	r.mu.Unlock()
	return nil
}
