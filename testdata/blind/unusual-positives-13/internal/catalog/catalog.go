// Package catalog keeps the in-memory index of imported media assets.
package catalog

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Asset is one imported media file.
type Asset struct {
	ID       string
	Path     string
	Size     int64
	Checksum string
	Tags     []string
	Meta     map[string]string
}

// ErrNotFound is returned for unknown asset ids.
var ErrNotFound = errors.New("catalog: asset not found")

// Event is a change applied to the catalog: Added, Removed or Retagged.
type Event interface{}

// Added inserts a new asset.
type Added struct{ Asset Asset }

// Removed deletes an asset.
type Removed struct{ ID string }

// Retagged replaces the tags of an asset.
type Retagged struct {
	ID   string
	Tags []string
}

// Catalog indexes assets by id and by tag. The embedded mutex guards every
// field; it is embedded so that maintenance code in this package can write
// c.Lock() the way it did before the type grew methods.
type Catalog struct {
	sync.Mutex
	assets map[string]Asset
	byTag  map[string][]string
}

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{
		assets: make(map[string]Asset),
		byTag:  make(map[string][]string),
	}
}

// Len reports the number of assets.
func (c *Catalog) Len() int {
	c.Lock()
	defer c.Unlock()
	return len(c.assets)
}

// Put adds a new asset; ids must be unique.
func (c *Catalog) Put(a Asset) error {
	c.Lock()
	defer c.Unlock()
	if a.ID == "" {
		return errors.New("catalog: asset without id")
	}
	if _, dup := c.assets[a.ID]; dup {
		return fmt.Errorf("catalog: duplicate asset %s (catalog holds %d assets)", a.ID, c.Len()) // HAZ lock-reentry-under-defer
	}
	c.assets[a.ID] = a
	c.indexLocked(a)
	return nil
}

// indexLocked adds a to the tag index; the caller holds the lock.
func (c *Catalog) indexLocked(a Asset) {
	for _, t := range a.Tags {
		c.byTag[t] = append(c.byTag[t], a.ID)
	}
}

// Get returns the asset with the given id.
func (c *Catalog) Get(id string) (Asset, error) {
	c.Lock()
	defer c.Unlock()
	a, ok := c.assets[id]
	if !ok {
		return Asset{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return a, nil
}

// Remove deletes an asset and its tag entries. The lock is released
// explicitly on both paths.
func (c *Catalog) Remove(id string) error {
	c.Lock()
	a, ok := c.assets[id]
	if !ok {
		c.Unlock()
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	delete(c.assets, id)
	for _, t := range a.Tags {
		c.byTag[t] = without(c.byTag[t], id)
	}
	c.Unlock()
	return nil
}

func without(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// retag replaces the tags of an existing asset.
func (c *Catalog) retag(id string, tags []string) error {
	c.Lock()
	defer c.Unlock()
	a, ok := c.assets[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	for _, t := range a.Tags {
		c.byTag[t] = without(c.byTag[t], id)
	}
	a.Tags = append([]string(nil), tags...)
	c.assets[id] = a
	c.indexLocked(a)
	return nil
}

// Merge folds batches of assets received from the scanners into the
// catalog, skipping empty batches. Later batches win on conflicting ids.
func (c *Catalog) Merge(batches [][]Asset) int {
	n := 0
	for _, batch := range batches {
		switch {
		case len(batch) == 0:
			continue
		default:
			c.Lock()
			defer c.Unlock() // HAZ defer-in-loop
			for _, a := range batch {
				c.assets[a.ID] = a
				c.indexLocked(a)
				n++
			}
		}
	}
	return n
}

// MergeEach is Merge with the critical section of each batch in its own
// function literal, so the lock is released before the next batch.
func (c *Catalog) MergeEach(batches [][]Asset) int {
	n := 0
	for _, batch := range batches {
		switch {
		case len(batch) == 0:
			continue
		default:
			n += func() int {
				c.Lock()
				defer c.Unlock()
				for _, a := range batch {
					c.assets[a.ID] = a
					c.indexLocked(a)
				}
				return len(batch)
			}()
		}
	}
	return n
}

// Tagged returns the assets carrying tag, sorted by id.
func (c *Catalog) Tagged(tag string) []Asset {
	c.Lock()
	defer c.Unlock()
	ids := append([]string(nil), c.byTag[tag]...)
	sort.Strings(ids)
	out := make([]Asset, 0, len(ids))
	for _, id := range ids {
		out = append(out, c.assets[id])
	}
	return out
}

// Apply applies a batch of change events, dispatching on the event type.
// Each case goes through a method that takes and releases the lock itself.
func (c *Catalog) Apply(events []Event) error {
	for i, ev := range events {
		var err error
		switch e := ev.(type) {
		case Added:
			err = c.Put(e.Asset)
		case Removed:
			err = c.Remove(e.ID)
		case Retagged:
			err = c.retag(e.ID, e.Tags)
		default:
			err = fmt.Errorf("catalog: unknown event %T", ev)
		}
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

// Maintain runs the named maintenance tasks in order.
func (c *Catalog) Maintain(tasks []string) error {
	ops := map[string]func() error{
		"dedupe": func() error {
			c.Lock() // HAZ lock-leaked-on-return
			seen := make(map[string]string, len(c.assets))
			for id, a := range c.assets {
				if prev, ok := seen[a.Checksum]; ok && a.Checksum != "" {
					return fmt.Errorf("catalog: %s duplicates %s", id, prev)
				}
				seen[a.Checksum] = id
			}
			c.Unlock()
			return nil
		},
		"prune-tags": func() error {
			c.Lock()
			defer c.Unlock()
			for t, ids := range c.byTag {
				if len(ids) == 0 {
					delete(c.byTag, t)
				}
			}
			return nil
		},
	}
	for _, name := range tasks {
		op, ok := ops[name]
		if !ok {
			return fmt.Errorf("catalog: unknown maintenance task %q", name)
		}
		if err := op(); err != nil {
			return err
		}
	}
	return nil
}

// Verify reports assets whose checksum is missing. It runs every check in
// a stored closure; each closure releases the lock with a defer of its own.
func (c *Catalog) Verify() []string {
	checks := []func() []string{
		func() []string {
			c.Lock()
			defer c.Unlock()
			var bad []string
			for id, a := range c.assets {
				if a.Checksum == "" {
					bad = append(bad, id)
				}
			}
			return bad
		},
		func() []string {
			c.Lock()
			defer c.Unlock()
			var bad []string
			for id, a := range c.assets {
				if a.Size < 0 {
					bad = append(bad, id)
				}
			}
			return bad
		},
	}
	var out []string
	for _, check := range checks {
		out = append(out, check()...)
	}
	sort.Strings(out)
	return out
}

// Kind classifies assets for Compact.
type Kind string

// Compact drops the assets of the given kind that have no tags. Unknown
// kinds are a programming error.
func (c *Catalog) Compact(kind Kind) int {
	c.Lock() // HAZ lock-leaked-on-return
	n := 0
	for id, a := range c.assets {
		var match bool
		switch kind {
		case "untagged":
			match = len(a.Tags) == 0
		case "empty":
			match = a.Size == 0
		default:
			panic(fmt.Sprintf("catalog: unknown compact kind %q", kind))
		}
		if match {
			delete(c.assets, id)
			n++
		}
	}
	c.Unlock()
	return n
}

// CompactChecked is Compact with the kind validated before locking and the
// unlock deferred, so even a panic releases the lock.
func (c *Catalog) CompactChecked(kind Kind) (int, error) {
	var match func(Asset) bool
	switch kind {
	case "untagged":
		match = func(a Asset) bool { return len(a.Tags) == 0 }
	case "empty":
		match = func(a Asset) bool { return a.Size == 0 }
	default:
		return 0, fmt.Errorf("catalog: unknown compact kind %q", kind)
	}
	c.Lock()
	defer c.Unlock()
	n := 0
	for id, a := range c.assets {
		if match(a) {
			delete(c.assets, id)
			n++
		}
	}
	return n, nil
}
