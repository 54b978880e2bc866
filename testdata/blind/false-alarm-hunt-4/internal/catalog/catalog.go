// Package catalog keeps the product catalogue in memory for the pricing service.
package catalog

import (
	"errors"
	"sort"
	"strings"
	"sync"
)

// Entry is one product.
type Entry struct {
	SKU   string
	Price int
	Tags  []string
}

// ErrNotFound is returned for unknown SKUs.
var ErrNotFound = errors.New("catalog: not found")

// Catalog is safe for concurrent use. Reads dominate.
type Catalog struct {
	mu      sync.RWMutex
	entries map[string]Entry
	order   []string
	gen     int

	metaMu sync.Mutex
	meta   map[string]string
}

// New returns an empty catalogue.
func New() *Catalog {
	return &Catalog{entries: make(map[string]Entry), meta: make(map[string]string)}
}

// Get returns the entry for sku.
func (c *Catalog) Get(sku string) (Entry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[sku]
	return e, ok
}

// Put stores e, replacing any previous entry.
func (c *Catalog) Put(e Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[e.SKU]; !ok {
		c.order = append(c.order, e.SKU)
	}
	c.entries[e.SKU] = e
	c.gen++
}

// GetOrCreate upgrades from a read lock to a write lock on a miss.
func (c *Catalog) GetOrCreate(sku string, mk func() Entry) Entry {
	c.mu.RLock()
	e, ok := c.entries[sku]
	c.mu.RUnlock()
	if ok {
		return e
	}

	c.mu.Lock()
	defer c.mu.Unlock() // ok: pairs with the write lock just above, the read lock is already gone
	if e, ok := c.entries[sku]; ok {
		return e
	}
	e = mk()
	e.SKU = sku
	c.entries[sku] = e
	c.order = append(c.order, sku)
	c.gen++
	return e
}

// Bump applies a price change and then hands back a consistent view,
// downgrading from the write lock to a read lock.
func (c *Catalog) Bump(sku string, delta int) (Entry, error) {
	c.mu.Lock()
	e, ok := c.entries[sku]
	if !ok {
		c.mu.Unlock()
		return Entry{}, ErrNotFound
	}
	e.Price += delta
	c.entries[sku] = e
	c.gen++
	c.mu.Unlock()

	c.mu.RLock()
	defer c.mu.RUnlock() // ok: read lock paired with read unlock
	return c.entries[sku], nil
}

// Annotate reads the catalogue and writes metadata under two different locks.
func (c *Catalog) Annotate(sku, note string) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.metaMu.Lock()
	defer c.metaMu.Unlock() // ok: a different mutex, plain Mutex
	if _, ok := c.entries[sku]; !ok {
		return ErrNotFound
	}
	c.meta[sku] = note
	return nil
}

// Note returns the metadata for sku.
func (c *Catalog) Note(sku string) string {
	mu := &c.metaMu
	mu.Lock()
	defer mu.Unlock()
	return c.meta[sku]
}

// Search scans through a read-locker view of the RWMutex.
func (c *Catalog) Search(prefix string) []Entry {
	rl := c.mu.RLocker()
	rl.Lock()
	defer rl.Unlock() // ok: RLocker's Lock is RLock and its Unlock is RUnlock
	var out []Entry
	for _, sku := range c.order {
		if strings.HasPrefix(sku, prefix) {
			out = append(out, c.entries[sku])
		}
	}
	return out
}

// lockFor takes the read or the write side of c.mu and returns the matching
// unlock; the caller must call it exactly once.
func (c *Catalog) lockFor(write bool) (unlock func()) {
	if write {
		c.mu.Lock()
		return c.mu.Unlock
	}
	c.mu.RLock()
	return c.mu.RUnlock
}

// Tags returns a copy of the tags of sku.
func (c *Catalog) Tags(sku string) []string {
	defer c.lockFor(false)() // ok: lock now, matching unlock at exit
	return append([]string(nil), c.entries[sku].Tags...)
}

// AddTag appends a tag under the write lock.
func (c *Catalog) AddTag(sku, tag string) error {
	defer c.lockFor(true)()
	e, ok := c.entries[sku]
	if !ok {
		return ErrNotFound
	}
	e.Tags = append(e.Tags, tag)
	c.entries[sku] = e
	c.gen++
	return nil
}

// Visit calls fn for every entry either with shared or exclusive access.
func (c *Catalog) Visit(exclusive bool, fn func(*Entry)) {
	if exclusive {
		c.mu.Lock()
		defer c.mu.Unlock()
	} else {
		c.mu.RLock()
		defer c.mu.RUnlock()
	}
	for _, sku := range c.order {
		e := c.entries[sku]
		fn(&e)
		if exclusive {
			c.entries[sku] = e
		}
	}
}

// withoutLock runs fn with c.mu released. The caller must hold the write
// lock; it is held again when withoutLock returns.
func (c *Catalog) withoutLock(fn func()) {
	c.mu.Unlock()
	defer c.mu.Lock() // ok: re-acquires for the caller, which keeps its own deferred Unlock
	fn()
}

// Reload swaps in a freshly loaded table; the slow load runs unlocked.
func (c *Catalog) Reload(load func() map[string]Entry) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	start := c.gen
	var fresh map[string]Entry
	c.withoutLock(func() { fresh = load() }) // ok: withoutLock drops c.mu before it takes it again
	if c.gen != start {
		return c.gen // someone wrote meanwhile; keep theirs
	}
	c.entries = fresh
	c.order = c.order[:0]
	for sku := range fresh {
		c.order = append(c.order, sku)
	}
	sort.Strings(c.order)
	c.gen++
	return c.gen
}

// MergeFrom copies every entry of src into c.
func (c *Catalog) MergeFrom(src *Catalog) {
	if src == c {
		return
	}
	src.mu.RLock()
	defer src.mu.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock() // ok: c.mu and src.mu are different mutexes (guarded above)
	for sku, e := range src.entries {
		if _, ok := c.entries[sku]; !ok {
			c.order = append(c.order, sku)
		}
		c.entries[sku] = e
	}
	c.gen++
}

// Len returns the number of entries.
func (c *Catalog) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Price returns the price of sku, or zero.
func (c *Catalog) Price(sku string) int {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return c.entries[sku].Price
}

// ClearMeta drops every note.
func (c *Catalog) ClearMeta() {
	c.metaMu.Lock()
	defer c.metaMu.Unlock()
	clear(c.meta)
}
