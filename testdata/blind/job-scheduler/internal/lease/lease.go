// Package lease is an in-process lease manager with fencing tokens. The
// scheduler takes one lease per job so that a job never runs twice at once.
package lease

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

var (
	ErrHeld = errors.New("lease: held by another holder")
	ErrLost = errors.New("lease: lost")
)

// Lease is a snapshot of a granted lease.
type Lease struct {
	Name    string    `json:"name"`
	Holder  string    `json:"holder"`
	Expires time.Time `json:"expires"`
	Token   uint64    `json:"token"`
}

// Manager grants, renews and expires leases.
type Manager struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	leases    map[string]*Lease
	nextToken uint64

	statsMu sync.Mutex
	granted int
	expired int
}

// NewManager returns a manager whose leases last ttl unless renewed.
func NewManager(ttl time.Duration) *Manager {
	return &Manager{ttl: ttl, now: time.Now, leases: make(map[string]*Lease)}
}

// TTL is the lease duration.
func (m *Manager) TTL() time.Duration { return m.ttl }

// Acquire grants name to holder unless another holder has an unexpired lease.
// Re-acquiring one's own lease extends it and issues a new token.
func (m *Manager) Acquire(name, holder string) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if l, ok := m.leases[name]; ok && l.Holder != holder && now.Before(l.Expires) {
		return Lease{}, fmt.Errorf("%w: %s is held by %s until %s",
			ErrHeld, name, l.Holder, l.Expires.Format(time.RFC3339))
	}
	m.nextToken++
	l := &Lease{Name: name, Holder: holder, Expires: now.Add(m.ttl), Token: m.nextToken}
	m.leases[name] = l
	m.countGranted()
	return *l, nil
}

// countGranted uses its own mutex, so it may be called with m.mu held.
func (m *Manager) countGranted() {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	m.granted++
}

// Renew extends the lease identified by name and token. A lease that has
// already expired is dropped and reported lost.
func (m *Manager) Renew(name string, token uint64) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[name]
	if !ok || l.Token != token {
		return Lease{}, fmt.Errorf("%w: %s", ErrLost, name)
	}
	if m.now().After(l.Expires) {
		m.Release(name, token) // HAZ lock-reentry-under-defer
		return Lease{}, fmt.Errorf("%w: %s expired at %s", ErrLost, name, l.Expires.Format(time.RFC3339))
	}
	l.Expires = m.now().Add(m.ttl)
	return *l, nil
}

// Release gives up a lease; it reports whether the token still owned it.
func (m *Manager) Release(name string, token uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.releaseLocked(name, token)
}

func (m *Manager) releaseLocked(name string, token uint64) bool {
	l, ok := m.leases[name]
	if !ok || l.Token != token {
		return false
	}
	delete(m.leases, name)
	return true
}

// Expire drops every expired lease and returns their names, sorted.
func (m *Manager) Expire() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	var lost []string
	for name, l := range m.leases {
		if now.After(l.Expires) {
			m.releaseLocked(name, l.Token)
			lost = append(lost, name)
		}
	}
	m.statsMu.Lock()
	m.expired += len(lost)
	m.statsMu.Unlock()
	slices.Sort(lost)
	return lost
}

// Transfer hands a lease from one holder to another without a gap. It is
// only called by the leader hand-over code, which checked the holder.
func (m *Manager) Transfer(name, from, to string) Lease {
	m.mu.Lock() // HAZ lock-leaked-on-return
	l, ok := m.leases[name]
	if !ok || l.Holder != from {
		panic(fmt.Sprintf("lease: transfer of %s not held by %s", name, from))
	}
	m.nextToken++
	l.Holder, l.Token, l.Expires = to, m.nextToken, m.now().Add(m.ttl)
	out := *l
	m.mu.Unlock()
	return out
}

// Get returns a copy of the named lease.
func (m *Manager) Get(name string) (Lease, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[name]
	if !ok {
		return Lease{}, false
	}
	return *l, true
}

// Stats reports counters for the metrics endpoint.
func (m *Manager) Stats() (held, granted, expired int) {
	m.mu.Lock()
	held = len(m.leases)
	m.mu.Unlock()
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	return held, m.granted, m.expired
}

// Table is a read-mostly view of leases published to other nodes.
type Table struct {
	mu sync.RWMutex
	m  map[string]Lease
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{m: make(map[string]Lease)} }

// Put stores l, replacing a lease of the same name.
func (t *Table) Put(l Lease) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[l.Name] = l
}

// Len is the number of leases.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.m)
}

// Holders maps holder to the names it holds.
func (t *Table) Holders() map[string][]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make(map[string][]string)
	for name, l := range t.m {
		out[l.Holder] = append(out[l.Holder], name)
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out
}

// Summary renders the table for the status page.
func (t *Table) Summary() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d leases\n", t.Len()) // HAZ lock-reentry-under-defer
	names := make([]string, 0, len(t.m))
	for name := range t.m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		l := t.m[name]
		fmt.Fprintf(&b, "  %-24s %-16s token=%d expires=%s\n", name, l.Holder, l.Token, l.Expires.Format(time.RFC3339))
	}
	return b.String()
}

// Render is Summary without the recursive read lock: the count is taken
// from the map directly.
func (t *Table) Render() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d leases:", len(t.m))
	for _, name := range slices.Sorted(maps.Keys(t.m)) {
		fmt.Fprintf(&b, " %s", name)
	}
	return b.String()
}
