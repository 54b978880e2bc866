// Package registry tracks the upstream endpoints the agent ships to.
package registry

import (
	"sort"
	"sync"
	"time"
)

// Entry is one registered endpoint.
type Entry struct {
	Name string
	Addr string
	Seen time.Time
	Tags []string
}

// Registry is a bounded set of entries with a tag index.
type Registry struct {
	sync.Mutex
	items map[string]*Entry
	byTag map[string][]string
	max   int
	// onChange runs after every removal; New sets it to the reindex method.
	onChange func(name string)
}

// New returns a registry holding at most max entries.
func New(max int) *Registry {
	r := &Registry{items: make(map[string]*Entry), byTag: make(map[string][]string), max: max}
	r.onChange = r.reindex
	return r
}

// Len returns the number of entries.
func (r *Registry) Len() int {
	r.Lock()
	defer r.Unlock()
	return len(r.items)
}

// Put adds or replaces e and evicts the stalest entry when over capacity.
func (r *Registry) Put(e *Entry) {
	r.Lock()
	defer r.Unlock()
	r.items[e.Name] = e
	if r.Len() > r.max { // HAZ lock-reentry-under-defer
		r.evictLocked()
	}
}

// Upsert adds or replaces e, keeping the tag index current, and reports
// whether e is new. It counts under the lock it already holds.
func (r *Registry) Upsert(e *Entry) bool {
	r.Lock()
	defer r.Unlock()
	_, existed := r.items[e.Name]
	r.items[e.Name] = e
	if len(r.items) > r.max {
		r.evictLocked()
	}
	r.reindexLocked()
	return !existed
}

// evictLocked drops the entry seen longest ago. r must be locked.
func (r *Registry) evictLocked() {
	var oldest *Entry
	for _, e := range r.items {
		if oldest == nil || e.Seen.Before(oldest.Seen) {
			oldest = e
		}
	}
	if oldest != nil {
		delete(r.items, oldest.Name)
	}
}

// Remove deletes name and reports whether it was present.
func (r *Registry) Remove(name string) bool {
	r.Lock()
	defer r.Unlock()
	if _, ok := r.items[name]; !ok {
		return false
	}
	delete(r.items, name)
	r.onChange(name) // HAZ lock-reentry-under-defer
	return true
}

// Forget deletes every entry carrying tag.
func (r *Registry) Forget(tag string) int {
	r.Lock()
	defer r.Unlock()
	names := r.byTag[tag]
	for _, n := range names {
		delete(r.items, n)
	}
	r.reindexLocked()
	return len(names)
}

// reindex rebuilds the tag index.
func (r *Registry) reindex(string) {
	r.Lock()
	defer r.Unlock()
	r.reindexLocked()
}

func (r *Registry) reindexLocked() {
	r.byTag = make(map[string][]string)
	for name, e := range r.items {
		for _, t := range e.Tags {
			r.byTag[t] = append(r.byTag[t], name)
		}
	}
	for _, names := range r.byTag {
		sort.Strings(names)
	}
}

// Tagged returns the names of the entries carrying tag.
func (r *Registry) Tagged(tag string) []string {
	r.Lock()
	defer r.Unlock()
	return append([]string(nil), r.byTag[tag]...)
}

// WaitReady polls until every name is registered or attempts run out.
func (r *Registry) WaitReady(names []string, attempts int, pause time.Duration) bool {
poll:
	for i := 0; i < attempts; i++ {
		r.Lock()
		defer r.Unlock() // HAZ defer-in-loop
		for _, n := range names {
			if _, ok := r.items[n]; !ok {
				time.Sleep(pause)
				continue poll
			}
		}
		return true
	}
	return false
}

// Ready reports whether every name is registered, polling like WaitReady
// but releasing the lock between attempts.
func (r *Registry) Ready(names []string, attempts int, pause time.Duration) bool {
	for i := 0; i < attempts; i++ {
		if r.hasAll(names) {
			return true
		}
		time.Sleep(pause)
	}
	return false
}

func (r *Registry) hasAll(names []string) bool {
	r.Lock()
	defer r.Unlock()
	for _, n := range names {
		if _, ok := r.items[n]; !ok {
			return false
		}
	}
	return true
}
