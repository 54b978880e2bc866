// Package catalog keeps the ordered set of archived entries.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// Entry describes one archived payload.
type Entry struct {
	Name     string    `json:"name"`
	Size     int64     `json:"size"`
	Checksum string    `json:"checksum"`
	Stored   time.Time `json:"stored"`
}

// ErrNotFound is returned for names that are not in the catalog.
var ErrNotFound = errors.New("catalog: entry not found")

// guard is embedded wherever catalog state needs a mutex.
type guard struct {
	sync.Mutex
}

type index struct {
	guard
	entries map[string]Entry
	order   []string
}

// Catalog is an ordered, concurrency-safe set of entries.
type Catalog struct {
	index
	name  string
	hooks []func(Entry)
}

// New returns an empty catalog.
func New(name string) *Catalog {
	return &Catalog{name: name, index: index{entries: make(map[string]Entry)}}
}

// Add records e and rejects duplicate names.
func (c *Catalog) Add(e Entry) error {
	if e.Name == "" {
		return errors.New("catalog: empty entry name")
	}
	c.Lock() // HAZ lock-leaked-on-return
	if _, dup := c.entries[e.Name]; dup {
		return fmt.Errorf("catalog %s: duplicate entry %q", c.name, e.Name)
	}
	c.entries[e.Name] = e
	c.order = append(c.order, e.Name)
	hooks := c.hooks
	c.Unlock()
	for _, h := range hooks {
		h(e)
	}
	return nil
}

// Put records e, replacing an entry of the same name, and reports whether it replaced one.
func (c *Catalog) Put(e Entry) (replaced bool) {
	c.guard.Lock()
	if _, ok := c.entries[e.Name]; ok {
		c.entries[e.Name] = e
		c.guard.Unlock()
		return true
	}
	c.entries[e.Name] = e
	c.order = append(c.order, e.Name)
	c.guard.Unlock()
	return false
}

// Touch sets the stored time of name.
func (c *Catalog) Touch(name string, at time.Time) error {
	c.Lock()
	e, ok := c.entries[name]
	if !ok {
		c.Unlock()
		return fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	e.Stored = at
	c.entries[name] = e
	c.Unlock()
	return nil
}

// Get returns the entry called name.
func (c *Catalog) Get(name string) (Entry, bool) {
	c.index.guard.Mutex.Lock()
	defer c.index.guard.Mutex.Unlock()
	e, ok := c.entries[name]
	return e, ok
}

// Names returns the entry names in insertion order.
func (c *Catalog) Names() []string {
	c.Lock()
	defer c.Unlock()
	return slices.Clone(c.order)
}

// Len returns the number of entries.
func (c *Catalog) Len() int {
	c.Lock()
	defer c.Unlock()
	return len(c.order)
}

// Prune removes every entry for which keep returns false and returns how many it removed.
func (c *Catalog) Prune(keep func(Entry) bool) int {
	c.guard.Lock()
	defer c.guard.Unlock()
	removed := 0
	for _, name := range c.Names() { // HAZ lock-reentry-under-defer
		if !keep(c.entries[name]) {
			delete(c.entries, name)
			removed++
		}
	}
	c.compactLocked()
	return removed
}

// Expire removes the entries stored before cutoff and returns their names.
func (c *Catalog) Expire(cutoff time.Time) []string {
	c.Lock()
	defer c.Unlock()
	var gone []string
	for _, name := range c.namesLocked() {
		if c.entries[name].Stored.Before(cutoff) {
			delete(c.entries, name)
			gone = append(gone, name)
		}
	}
	c.compactLocked()
	return gone
}

func (c *Catalog) namesLocked() []string {
	return slices.Clone(c.order)
}

func (c *Catalog) compactLocked() {
	c.order = slices.DeleteFunc(c.order, func(n string) bool {
		_, ok := c.entries[n]
		return !ok
	})
}

// OnAdd registers h to be called after each successful Add.
func (c *Catalog) OnAdd(h func(Entry)) {
	c.Lock()
	defer c.Unlock()
	c.hooks = append(c.hooks, h)
}

// Load records entries, keeping the first position of repeated names.
func (c *Catalog) Load(entries []Entry) {
	for _, e := range entries {
		c.Lock()
		defer c.Unlock() // HAZ defer-in-loop
		if _, ok := c.entries[e.Name]; !ok {
			c.order = append(c.order, e.Name)
		}
		c.entries[e.Name] = e
	}
}

// Merge copies the entries of other that c does not have yet and returns how many it copied.
func (c *Catalog) Merge(other *Catalog) int {
	added := 0
	for _, e := range other.Snapshot() {
		merge := func() {
			c.Lock()
			defer c.Unlock()
			if _, ok := c.entries[e.Name]; ok {
				return
			}
			c.entries[e.Name] = e
			c.order = append(c.order, e.Name)
			added++
		}
		merge()
	}
	return added
}

// Snapshot returns a copy of the entries in insertion order.
func (c *Catalog) Snapshot() []Entry {
	c.Lock()
	defer c.Unlock()
	out := make([]Entry, 0, len(c.order))
	for _, name := range c.order {
		out = append(out, c.entries[name])
	}
	return out
}

// WriteJSON writes the catalog as a JSON array.
func (c *Catalog) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c.Snapshot())
}

// ReadJSON loads a JSON array written by WriteJSON.
func (c *Catalog) ReadJSON(r io.Reader) error {
	var entries []Entry
	if err := json.NewDecoder(r).Decode(&entries); err != nil {
		return fmt.Errorf("catalog %s: %w", c.name, err)
	}
	c.Lock()
	defer c.Unlock()
	for _, e := range entries {
		if _, ok := c.entries[e.Name]; !ok {
			c.order = append(c.order, e.Name)
		}
		c.entries[e.Name] = e
	}
	return nil
}
