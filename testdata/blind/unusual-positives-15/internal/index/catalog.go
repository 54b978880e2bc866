package index

import (
	"fmt"
	"sort"
	"sync"
)

// table holds named collections of keys. It is embedded by pointer in
// Catalog, so c.mu below is c.table.mu.
type table struct {
	mu   sync.Mutex
	rows map[string][]string
}

func (t *table) has(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.rows[name]
	return ok
}

func (t *table) add(name string, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows[name] = append(t.rows[name], keys...)
}

// Catalog groups index keys into named collections.
type Catalog struct {
	*table
	ix *Index
}

// NewCatalog returns an empty catalog over ix.
func NewCatalog(ix *Index) *Catalog {
	return &Catalog{table: &table{rows: make(map[string][]string)}, ix: ix}
}

// Create adds an empty collection. It reads the map directly under the lock.
func (c *Catalog) Create(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.rows[name]; ok {
		return fmt.Errorf("catalog: %s exists", name)
	}
	c.rows[name] = nil
	return nil
}

// Drop removes a collection.
func (c *Catalog) Drop(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.has(name) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("catalog: no collection %s", name)
	}
	delete(c.rows, name)
	return nil
}

// Attach adds keys that exist in the index to a collection. No lock is held
// across the calls to has and add.
func (c *Catalog) Attach(name string, keys ...string) error {
	for _, k := range keys {
		if _, ok := c.ix.Get(k); !ok {
			return fmt.Errorf("catalog: %s: %w", k, ErrNotFound)
		}
	}
	if !c.has(name) {
		return fmt.Errorf("catalog: no collection %s", name)
	}
	c.add(name, keys...)
	return nil
}

// Collection returns the documents of a collection that still exist.
func (c *Catalog) Collection(name string) []Doc {
	c.mu.Lock()
	keys := append([]string(nil), c.rows[name]...)
	c.mu.Unlock()
	out := make([]Doc, 0, len(keys))
	for _, k := range keys {
		if d, ok := c.ix.Get(k); ok {
			out = append(out, d)
		}
	}
	return out
}

// Names lists the collections.
func (c *Catalog) Names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.rows))
	for n := range c.rows {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
