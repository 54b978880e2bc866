package fixture

import (
	"sort"
	"sync"
)

type codecRegistry struct {
	mu     sync.Mutex
	once   sync.Once
	codecs map[string]int
	order  []string
}

// loadDefaults installs the built-in codecs once, under the registry's lock.
func (r *codecRegistry) loadDefaults() {
	r.once.Do(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.codecs == nil {
			r.codecs = make(map[string]int)
		}
		r.codecs["jsonl"] = 1
	})
}

// The literal once.Do runs locks r.mu, which lookup already holds.
func (r *codecRegistry) lookup(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loadDefaults() // want `r\.mu is locked on line \d+ and held until codecRegistry\.lookup returns .* codecRegistry\.loadDefaults → the function literal on line \d+ → r\.mu\.Lock\(\)`
	return r.codecs[name]
}

// The defaults are installed before the lock is taken.
func (r *codecRegistry) register(name string, v int) {
	r.loadDefaults()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.codecs[name] = v
}

func (r *codecRegistry) weight(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.codecs[name]
}

// sortByWeight's comparator runs during sort.Slice and locks r.mu through weight.
func (r *codecRegistry) sortByWeight() {
	sort.Slice(r.order, func(i, j int) bool { return r.weight(r.order[i]) < r.weight(r.order[j]) })
}

func (r *codecRegistry) sorted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sortByWeight() // want `r\.mu is locked on line \d+ and held until codecRegistry\.sorted returns`
	return append([]string(nil), r.order...)
}

// The literal is only stored, not run during the call: no second lock here.
func (r *codecRegistry) later() func() {
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.order = nil
	}
}

func (r *codecRegistry) reset() func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.later()
}
