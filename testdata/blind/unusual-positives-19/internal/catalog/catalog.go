// Package catalog keeps the registry of relay topics and who follows them.
// Its types are small handles that share their state through pointers, so
// they are passed and stored by value.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for unknown topics.
var ErrNotFound = errors.New("catalog: topic not found")

// Topic is one registered topic.
type Topic struct {
	Name      string        `json:"name"`
	Retention time.Duration `json:"retention"`
	Owners    []string      `json:"owners,omitempty"`
}

// Stats counts catalog mutations.
type Stats struct {
	Upserts int
	Removes int
}

// Report writes the counters as one line.
func (s Stats) Report(w io.Writer) {
	fmt.Fprintf(w, "catalog: %d upserts, %d removes\n", s.Upserts, s.Removes)
}

// Catalog is a value handle on a shared topic table.
type Catalog struct {
	mu     *sync.Mutex
	topics map[string]Topic
	stats  *Stats
}

// New returns an empty catalog.
func New() Catalog {
	return Catalog{mu: new(sync.Mutex), topics: make(map[string]Topic), stats: new(Stats)}
}

// Has reports whether name is registered.
func (c Catalog) Has(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.topics[name]
	return ok
}

func (c Catalog) hasLocked(name string) bool {
	_, ok := c.topics[name]
	return ok
}

// Upsert registers t, merging the owner lists when the topic exists.
func (c Catalog) Upsert(t Topic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Upserts++
	if !c.Has(t.Name) { // HAZ lock-reentry-under-defer
		c.topics[t.Name] = t
		return
	}
	cur := c.topics[t.Name]
	cur.Owners = mergeOwners(cur.Owners, t.Owners)
	if t.Retention > 0 {
		cur.Retention = t.Retention
	}
	c.topics[t.Name] = cur
}

// Put registers t, merging the owner lists when the topic exists.
func (c Catalog) Put(t Topic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Upserts++
	if cur, ok := c.topics[t.Name]; ok {
		t.Owners = mergeOwners(cur.Owners, t.Owners)
	}
	c.topics[t.Name] = t
}

// Rename moves a topic to a new name.
func (c Catalog) Rename(from, to string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hasLocked(from) {
		return fmt.Errorf("%w: %q", ErrNotFound, from)
	}
	if c.hasLocked(to) {
		return fmt.Errorf("catalog: topic %q already exists", to)
	}
	t := c.topics[from]
	delete(c.topics, from)
	t.Name = to
	c.topics[to] = t
	return nil
}

// MustGet returns the named topic. Handlers call it after validating the
// name, so a missing topic is a programming error; the HTTP server recovers
// handler panics and keeps serving.
func (c Catalog) MustGet(name string) Topic {
	c.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := c.topics[name]
	if !ok {
		panic(fmt.Sprintf("catalog: topic %q vanished", name))
	}
	c.mu.Unlock()
	return t
}

// Remove deletes a topic; topics with owners need force.
func (c Catalog) Remove(name string, force bool) error {
	c.mu.Lock()
	t, ok := c.topics[name]
	switch {
	case !ok:
		c.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrNotFound, name)
	case len(t.Owners) > 0 && !force:
		c.mu.Unlock()
		return fmt.Errorf("catalog: topic %q has %d owners", name, len(t.Owners))
	}
	delete(c.topics, name)
	c.stats.Removes++
	c.mu.Unlock()
	return nil
}

// List returns the topics sorted by name.
func (c Catalog) List() []Topic {
	c.mu.Lock()
	out := make([]Topic, 0, len(c.topics))
	for _, t := range c.topics {
		out = append(out, t)
	}
	c.mu.Unlock()
	slices.SortFunc(out, func(a, b Topic) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Stats returns a copy of the counters.
func (c Catalog) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return *c.stats
}

// Import reads topics as JSON lines and reports the counters afterwards.
func (c Catalog) Import(r io.Reader, report io.Writer) error {
	defer c.Stats().Report(report) // HAZ defer-call-chain
	dec := json.NewDecoder(r)
	for {
		var t Topic
		err := dec.Decode(&t)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("catalog: import: %w", err)
		}
		c.Put(t)
	}
}

// Merge copies every topic of other into c and reports the counters
// afterwards.
func (c Catalog) Merge(other Catalog, report io.Writer) {
	defer func() { c.Stats().Report(report) }()
	for _, t := range other.List() {
		c.Put(t)
	}
}

// ExtendRetention adds d to the retention of every named topic that exists.
func (c Catalog) ExtendRetention(names []string, d time.Duration) int {
	n := 0
	for _, name := range names {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		t, ok := c.topics[name]
		if !ok {
			continue
		}
		t.Retention += d
		c.topics[name] = t
		n++
	}
	return n
}

// SetRetention sets the retention of every named topic that exists, under
// one acquisition of the lock.
func (c Catalog) SetRetention(names []string, d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, name := range names {
		if t, ok := c.topics[name]; ok {
			t.Retention = d
			c.topics[name] = t
			n++
		}
	}
	return n
}

// Prune removes the topics without owners whose names match drop.
func (c Catalog) Prune(drop func(name string) bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var gone []string
	for name, t := range c.topics {
		if len(t.Owners) == 0 && drop(name) {
			gone = append(gone, name)
		}
	}
	for _, name := range gone {
		c.expire(name) // HAZ lock-reentry-under-defer
	}
	return gone
}

// expire forgets a topic for good.
func (c Catalog) expire(name string) {
	if err := c.Remove(name, true); err != nil && !errors.Is(err, ErrNotFound) {
		panic(err)
	}
}

func mergeOwners(a, b []string) []string {
	out := slices.Clone(a)
	for _, o := range b {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
