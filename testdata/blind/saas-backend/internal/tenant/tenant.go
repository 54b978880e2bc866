// Package tenant holds the tenant directory and request-scoped tenant
// context used by every other package.
package tenant

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// ID identifies a tenant.
type ID string

// Tenant is one customer account.
type Tenant struct {
	ID        ID
	Name      string
	Plan      string
	Suspended bool
	APIKeys   []string
}

// ErrNotFound is returned for unknown tenants or keys.
var ErrNotFound = errors.New("tenant: not found")

type ctxKey struct{}

// WithTenant returns a context carrying t.
func WithTenant(ctx context.Context, t *Tenant) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// FromContext returns the tenant stored by WithTenant.
func FromContext(ctx context.Context) (*Tenant, bool) {
	t, ok := ctx.Value(ctxKey{}).(*Tenant)
	return t, ok && t != nil
}

// Directory maps API keys and ids to tenants.
type Directory struct {
	mu    sync.RWMutex
	byID  map[ID]*Tenant
	byKey map[string]*Tenant
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory {
	return &Directory{byID: map[ID]*Tenant{}, byKey: map[string]*Tenant{}}
}

// Add inserts or replaces a tenant and indexes its keys.
func (d *Directory) Add(t *Tenant) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.byID[t.ID]; ok {
		for _, k := range old.APIKeys {
			delete(d.byKey, k)
		}
	}
	d.byID[t.ID] = t
	for _, k := range t.APIKeys {
		d.byKey[k] = t
	}
}

// Get returns the tenant with the given id.
func (d *Directory) Get(id ID) (*Tenant, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.byID[id]
	return t, ok
}

// ByAPIKey resolves an API key; suspended tenants are not returned.
func (d *Directory) ByAPIKey(key string) (*Tenant, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.byKey[key]
	if !ok || t.Suspended {
		return nil, false
	}
	return t, true
}

// List returns all tenants sorted by id.
func (d *Directory) List() []Tenant {
	d.mu.RLock()
	out := make([]Tenant, 0, len(d.byID))
	for _, t := range d.byID {
		out = append(out, *t)
	}
	d.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// RotateKey replaces oldKey by newKey. Every path unlocks explicitly.
func (d *Directory) RotateKey(id ID, oldKey, newKey string) error {
	d.mu.Lock()
	t, ok := d.byID[id]
	if !ok {
		d.mu.Unlock()
		return ErrNotFound
	}
	for i, k := range t.APIKeys {
		if k == oldKey {
			t.APIKeys[i] = newKey
			delete(d.byKey, oldKey)
			d.byKey[newKey] = t
			d.mu.Unlock()
			return nil
		}
	}
	d.mu.Unlock()
	return ErrNotFound
}

// Suspend marks a tenant suspended so its keys stop resolving.
func (d *Directory) Suspend(id ID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.Get(id) // HAZ lock-reentry-under-defer
	if !ok {
		return ErrNotFound
	}
	t.Suspended = true
	return nil
}

// Resume clears the suspended flag. It looks the tenant up under the write
// lock directly instead of going through Get.
func (d *Directory) Resume(id ID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.byID[id]
	if !ok {
		return ErrNotFound
	}
	t.Suspended = false
	return nil
}
