package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// ErrUnknownSeries is returned for series names the catalog has never seen.
var ErrUnknownSeries = errors.New("store: unknown series")

// rwLocked carries the catalog lock. It sits two embeddings below Catalog,
// so the catalog's methods reach it as c.Lock / c.RLock.
type rwLocked struct {
	sync.RWMutex
}

type nameIndex struct {
	rwLocked
	ids map[string]int
}

// Catalog maps series names to dense ids.
type Catalog struct {
	nameIndex
	names []string
	gen   uint64
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{nameIndex: nameIndex{ids: make(map[string]int)}}
}

// Lookup returns the id of name.
func (c *Catalog) Lookup(name string) (int, bool) {
	c.RLock()
	defer c.RUnlock()
	id, ok := c.ids[name]
	return id, ok
}

// Len returns the number of ids handed out, including dropped ones.
func (c *Catalog) Len() int {
	c.RLock()
	defer c.RUnlock()
	return len(c.names)
}

// Generation returns a counter bumped on every change.
func (c *Catalog) Generation() uint64 {
	unlock := c.RUnlock
	c.RLock()
	defer unlock()
	return c.gen
}

func (c *Catalog) lookupLocked(name string) (int, bool) {
	id, ok := c.ids[name]
	return id, ok
}

// Intern returns the id of name, assigning a new one if needed.
func (c *Catalog) Intern(name string) int {
	c.Lock()
	defer c.Unlock()
	if id, ok := c.lookupLocked(name); ok {
		return id
	}
	id := len(c.names)
	c.names = append(c.names, name)
	c.ids[name] = id
	c.gen++
	return id
}

// InternAll interns a batch of names under one critical section.
func (c *Catalog) InternAll(names []string) []int {
	c.Lock()
	defer c.Unlock()
	out := make([]int, 0, len(names))
	for _, n := range names {
		out = append(out, c.Intern(n)) // HAZ lock-reentry-under-defer
	}
	return out
}

// Names returns a copy of all series names in id order.
func (c *Catalog) Names() []string {
	c.RLock()
	defer c.RUnlock()
	out := make([]string, 0, c.Len()) // HAZ lock-reentry-under-defer
	return append(out, c.names...)
}

// Rename moves the id of old to name.
func (c *Catalog) Rename(old, name string) error {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	id, ok := c.ids[old]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownSeries, old)
	}
	delete(c.ids, old)
	c.ids[name] = id
	c.names[id] = name
	c.gen++
	return nil
}

// Drop forgets name; its id is not reused until Compact.
func (c *Catalog) Drop(name string) error {
	c.Lock() // HAZ lock-leaked-on-return
	id, ok := c.ids[name]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownSeries, name)
	}
	delete(c.ids, name)
	c.names[id] = ""
	c.gen++
	c.Unlock()
	return nil
}

// Compact renumbers the live names densely and reports how many ids it freed.
func (c *Catalog) Compact() (removed int) {
	c.Lock()
	if len(c.ids) == len(c.names) {
		c.Unlock()
		return 0
	}
	names := make([]string, 0, len(c.ids))
	for _, n := range c.names {
		if n == "" {
			continue
		}
		c.ids[n] = len(names)
		names = append(names, n)
	}
	removed = len(c.names) - len(names)
	c.names = names
	c.gen++
	c.Unlock()
	return removed
}

// loadFrom reads "id<TAB>name" lines and interns every name.
func (c *Catalog) loadFrom(r io.Reader) (int, error) {
	c.Lock()
	defer c.Unlock()
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		idText, name, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return n, fmt.Errorf("catalog: malformed line %q", sc.Text())
		}
		if _, err := strconv.Atoi(idText); err != nil {
			return n, fmt.Errorf("catalog: bad id in %q: %w", sc.Text(), err)
		}
		if _, seen := c.lookupLocked(name); seen {
			continue
		}
		c.ids[name] = len(c.names)
		c.names = append(c.names, name)
		n++
	}
	if n > 0 {
		c.gen++
	}
	return n, sc.Err()
}
