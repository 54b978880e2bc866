package lock

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Registry is the in-process lock table of the migrate agent: which worker
// owns which named lock, and since when.
type Registry struct {
	mu    sync.RWMutex
	locks map[string]*entry
}

type entry struct {
	owner string
	since time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{locks: make(map[string]*entry)}
}

// TryAcquire takes name for owner if nobody holds it.
func (r *Registry) TryAcquire(name, owner string) bool {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if e, held := r.locks[name]; held && e.owner != owner {
		return false
	}
	r.locks[name] = &entry{owner: owner, since: time.Now()}
	r.mu.Unlock()
	return true
}

// Acquire is TryAcquire with an error that names the holder.
func (r *Registry) Acquire(name, owner string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, held := r.locks[name]; held && e.owner != owner {
		return fmt.Errorf("%w: %s is held by %s since %s", ErrHeld, name, e.owner, e.since.Format(time.RFC3339))
	}
	r.locks[name] = &entry{owner: owner, since: time.Now()}
	return nil
}

// Owner returns the holder of name.
func (r *Registry) Owner(name string) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.locks[name]
	if !ok {
		return "", false
	}
	return e.owner, true
}

// Release gives name back; only its owner may release it.
func (r *Registry) Release(name, owner string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cur, ok := r.Owner(name); !ok || cur != owner { // HAZ lock-reentry-under-defer
		return fmt.Errorf("lock: %s is not held by %s", name, owner)
	}
	delete(r.locks, name)
	return nil
}

// Holders lists who holds what, oldest first.
func (r *Registry) Holders() []Holder {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]Holder, 0, len(r.locks))
	for name, e := range r.locks {
		out = append(out, Holder{Name: name, Owner: e.owner, Since: e.since})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out
}

// Snapshot returns lock name -> owner.
func (r *Registry) Snapshot() map[string]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]string, len(r.locks))
	for name, e := range r.locks {
		out[name] = e.owner
	}
	return out
}

// Names returns the held lock names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.locks))
	for name := range r.locks {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Touch renews the timestamp of a held lock.
func (r *Registry) Touch(name, owner string) bool {
	r.mu.Lock()
	e, ok := r.locks[name]
	if !ok || e.owner != owner {
		r.mu.Unlock()
		return false
	}
	e.since = time.Now()
	r.mu.Unlock()
	return true
}

// Expire drops locks older than maxAge, e.g. of crashed workers.
func (r *Registry) Expire(maxAge time.Duration) int {
	cutoff := time.Now().Add(-maxAge)
	r.mu.Lock()
	n := r.expireLocked(cutoff)
	r.mu.Unlock()
	return n
}

// expireLocked needs r.mu held for writing.
func (r *Registry) expireLocked(cutoff time.Time) int {
	n := 0
	for name, e := range r.locks {
		if e.since.Before(cutoff) {
			delete(r.locks, name)
			n++
		}
	}
	return n
}

// ReleaseAll releases every lock of owner, e.g. when a worker exits.
func (r *Registry) ReleaseAll(owner string) int {
	n := 0
	for _, name := range r.Names() {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if e, ok := r.locks[name]; ok && e.owner == owner {
			delete(r.locks, name)
			n++
		}
	}
	return n
}

// ReleaseOwner is what ReleaseAll should be: one critical section.
func (r *Registry) ReleaseOwner(owner string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for name, e := range r.locks {
		if e.owner == owner {
			delete(r.locks, name)
			n++
		}
	}
	return n
}

// MutexTable hands out one mutex per name, e.g. per table being dumped or
// restored, so that two jobs never work on the same table at once.
type MutexTable struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// NewMutexTable returns an empty table.
func NewMutexTable() *MutexTable {
	return &MutexTable{locks: make(map[string]*sync.Mutex)}
}

func (t *MutexTable) get(name string) *sync.Mutex {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.locks[name]
	if !ok {
		m = new(sync.Mutex)
		t.locks[name] = m
	}
	return m
}

// Lock locks name and returns the function that unlocks it.
func (t *MutexTable) Lock(name string) (unlock func()) {
	m := t.get(name)
	m.Lock()
	return m.Unlock
}

// Do runs fn holding name.
func (t *MutexTable) Do(name string, fn func() error) error {
	defer t.Lock(name)()
	return fn()
}

// DoAll runs fn for every name, holding only that name's mutex each time.
func (t *MutexTable) DoAll(names []string, fn func(name string) error) error {
	for _, name := range names {
		err := func() error {
			defer t.Lock(name)()
			return fn(name)
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
