package kv

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

var (
	ErrUnknownMember = errors.New("kv: unknown member")
	ErrMemberExists  = errors.New("kv: member already exists")
	ErrMemberRemoved = errors.New("kv: member id was removed and cannot be reused")
)

// Member is one node of the cluster.
type Member struct {
	Name    string
	PeerURL string
	Learner bool
	AddedAt time.Time
}

// Registry tracks cluster membership.
type Registry struct {
	mu      sync.RWMutex
	members map[string]Member
	removed map[string]time.Time
	now     func() time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		members: make(map[string]Member),
		removed: make(map[string]time.Time),
		now:     time.Now,
	}
}

// Has reports whether name is a current member.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.hasLocked(name)
}

// hasLocked is Has for callers that already hold r.mu (read or write).
func (r *Registry) hasLocked(name string) bool {
	_, ok := r.members[name]
	return ok
}

// MustGet returns the member called name and panics if there is none. It
// is used where membership was validated by the caller.
func (r *Registry) MustGet(name string) Member {
	r.mu.RLock() // HAZ lock-leaked-on-return
	m, ok := r.members[name]
	if !ok {
		panic(fmt.Sprintf("kv: member %q is not registered", name))
	}
	r.mu.RUnlock()
	return m
}

// Add registers a new member.
func (r *Registry) Add(m Member) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hasLocked(m.Name) {
		return fmt.Errorf("%w: %s", ErrMemberExists, m.Name)
	}
	if _, gone := r.removed[m.Name]; gone {
		return fmt.Errorf("%w: %s", ErrMemberRemoved, m.Name)
	}
	m.AddedAt = r.now()
	r.members[m.Name] = m
	return nil
}

// Update changes the peer URL of an existing member.
func (r *Registry) Update(m Member) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.Has(m.Name) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("%w: %s", ErrUnknownMember, m.Name)
	}
	old := r.members[m.Name]
	old.PeerURL = m.PeerURL
	r.members[m.Name] = old
	return nil
}

// Promote turns a learner into a voting member.
func (r *Registry) Promote(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.members[name]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownMember, name)
	}
	if !m.Learner {
		return nil
	}
	if len(r.votersLocked()) >= 7 {
		return fmt.Errorf("kv: refusing to promote %s: cluster already has 7 voters", name)
	}
	m.Learner = false
	r.members[name] = m
	return nil
}

// votersLocked returns the sorted names of voting members; r.mu must be held
// for reading or writing.
func (r *Registry) votersLocked() []string {
	var out []string
	for name, m := range r.members {
		if !m.Learner {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Voters returns the sorted names of voting members.
func (r *Registry) Voters() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.votersLocked()
}

// Quorum returns the number of voters needed for a majority.
func (r *Registry) Quorum() int {
	r.mu.RLock()
	n := len(r.votersLocked())
	r.mu.RUnlock()
	return n/2 + 1
}

// Remove deletes a member; its name can never be reused.
func (r *Registry) Remove(name string) error {
	r.mu.Lock()
	if !r.hasLocked(name) {
		r.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownMember, name)
	}
	delete(r.members, name)
	r.removed[name] = r.now()
	r.mu.Unlock()
	return nil
}

// Members returns a copy of the current members sorted by name.
func (r *Registry) Members() []Member {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Member, 0, len(r.members))
	for _, m := range r.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
