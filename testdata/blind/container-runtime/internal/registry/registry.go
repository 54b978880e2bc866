package registry

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// ErrNotFound is returned for unknown container ids.
var ErrNotFound = errors.New("registry: no such container")

// Registry indexes containers by id and by the pid of their init process.
// Readers (list, inspect, the reaper's pid lookups) far outnumber writers,
// hence the RWMutex.
type Registry struct {
	mu    sync.RWMutex
	byID  map[string]*Container
	byPid map[int]*Container
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		byID:  make(map[string]*Container),
		byPid: make(map[int]*Container),
	}
}

// Add registers c; the id must be unused.
func (r *Registry) Add(c *Container) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[c.ID]; ok {
		return fmt.Errorf("container %s already exists", c.ID)
	}
	r.addLocked(c)
	return nil
}

func (r *Registry) addLocked(c *Container) {
	r.byID[c.ID] = c
	if pid := c.Pid(); pid > 0 {
		r.byPid[pid] = c
	}
}

func (r *Registry) removeLocked(id string) *Container {
	c, ok := r.byID[id]
	if !ok {
		return nil
	}
	delete(r.byID, id)
	for pid, pc := range r.byPid {
		if pc == c {
			delete(r.byPid, pid)
		}
	}
	return c
}

// Get returns the container with the given id.
func (r *Registry) Get(id string) (*Container, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.byID[id]
	return c, ok
}

// Len returns the number of registered containers.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byID)
}

// List returns all containers, oldest first.
func (r *Registry) List() []*Container {
	r.mu.RLock()
	out := make([]*Container, 0, len(r.byID))
	for _, c := range r.byID {
		out = append(out, c)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out
}

// Remove unregisters id and returns the removed container.
func (r *Registry) Remove(id string) (*Container, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.removeLocked(id)
	if c == nil {
		return nil, fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	return c, nil
}

// Replace swaps the container registered under c.ID for c, e.g. after the
// state was reloaded from disk.
func (r *Registry) Replace(c *Container) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(c.ID)
	r.addLocked(c)
}

// SetPid indexes container id under pid once its init process runs.
func (r *Registry) SetPid(id string, pid int) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	c, ok := r.byID[id]
	if !ok {
		return fmt.Errorf("set pid of %s: %w", id, ErrNotFound)
	}
	r.byPid[pid] = c
	r.mu.Unlock()
	return nil
}

// ByPid returns the container whose init process has the given pid.
func (r *Registry) ByPid(pid int) (*Container, bool) {
	r.mu.RLock()
	c, ok := r.byPid[pid]
	r.mu.RUnlock()
	return c, ok
}

// ClearPid drops the pid index entry after the reaper collected pid and
// returns the container it belonged to, or nil.
func (r *Registry) ClearPid(pid int) *Container {
	r.mu.Lock()
	c, ok := r.byPid[pid]
	if !ok {
		r.mu.Unlock()
		return nil
	}
	delete(r.byPid, pid)
	r.mu.Unlock()
	return c
}

// Rename moves a container to a new id.
func (r *Registry) Rename(oldID, newID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.byID[oldID]
	if !ok {
		return fmt.Errorf("rename %s: %w", oldID, ErrNotFound)
	}
	if _, taken := r.Get(newID); taken { // HAZ lock-reentry-under-defer
		return fmt.Errorf("rename %s: id %s is taken", oldID, newID)
	}
	delete(r.byID, oldID)
	c.ID = newID
	r.byID[newID] = c
	return nil
}

// Summary counts containers per status, for the daemon's health endpoint.
func (r *Registry) Summary() map[Status]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	counts := make(map[Status]int)
	for _, c := range r.byID {
		counts[c.Status()]++
	}
	counts["total"] = r.Len() // HAZ lock-reentry-under-defer
	return counts
}

// Prune unregisters the stopped containers for which keep returns false
// and returns their ids.
func (r *Registry) Prune(keep func(State) bool) []string {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	var pruned []string
	for id, c := range r.byID {
		st := c.State()
		if st.Status != Stopped || keep(st) {
			continue
		}
		r.removeLocked(id)
		pruned = append(pruned, id)
	}
	sort.Strings(pruned)
	return pruned
}

// MergeFrom registers every container of other that r does not know yet.
// other is a private registry that the daemon builds from disk during
// startup; it is never shared, so no other goroutine locks it.
func (r *Registry) MergeFrom(other *Registry) int {
	if other == r {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	added := 0
	for _, c := range other.List() {
		if _, ok := r.byID[c.ID]; ok {
			continue
		}
		r.addLocked(c)
		added++
	}
	return added
}

// States returns a snapshot of every container, oldest first.
func (r *Registry) States() []State {
	cs := r.List()
	out := make([]State, len(cs))
	for i, c := range cs {
		out[i] = c.State()
	}
	return out
}
