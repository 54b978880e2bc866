// Package lease keeps the table of granted leases. Every lease has a TTL;
// a timer revokes it unless a keepalive arrives first. Revocation (or
// expiry) releases every lock key attached to the lease.
package lease

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/leaselock/internal/snapshot"
	"example.com/leaselock/internal/wal"
)

// ID identifies a lease.
type ID int64

// Errors returned by the Manager.
var (
	ErrNotFound = errors.New("lease: not found")
	ErrTTL      = errors.New("lease: ttl below minimum")
)

// Journal is the durable log the Manager records changes in.
type Journal interface {
	Append(rec wal.Record) (uint64, error)
}

// ExpireFunc is called, outside the Manager's lock, with the keys that were
// attached to a lease when it expired or was revoked.
type ExpireFunc func(id ID, keys []string)

// Lease is a granted lease. Values returned by the Manager are copies.
type Lease struct {
	ID        ID
	TTL       time.Duration
	ExpiresAt time.Time
	Keys      []string

	timer *time.Timer
	keys  map[string]struct{}
}

// Manager owns the lease table.
type Manager struct {
	mu        sync.Mutex
	leases    map[ID]*Lease
	nextID    ID
	lastIndex uint64
	minTTL    time.Duration
	journal   Journal
	snaps     *snapshot.Snapshotter
	onExpire  ExpireFunc
	logger    *log.Logger
}

// NewManager returns an empty Manager. onExpire may be nil.
func NewManager(j Journal, snaps *snapshot.Snapshotter, minTTL time.Duration, onExpire ExpireFunc) *Manager {
	if onExpire == nil {
		onExpire = func(ID, []string) {}
	}
	return &Manager{
		leases:   make(map[ID]*Lease),
		nextID:   1,
		minTTL:   minTTL,
		journal:  j,
		snaps:    snaps,
		onExpire: onExpire,
		logger:   log.Default(),
	}
}

func sortedKeys(set map[string]struct{}) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Grant creates a lease with the given TTL and arms its expiry timer.
func (m *Manager) Grant(ttl time.Duration) (ID, error) {
	if ttl < m.minTTL {
		return 0, ErrTTL
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextID
	idx, err := m.journal.Append(wal.Record{Type: wal.TypeGrant, Lease: int64(id), TTLMillis: ttl.Milliseconds()})
	if err != nil {
		return 0, err
	}
	m.nextID++
	m.lastIndex = idx
	l := &Lease{ID: id, TTL: ttl, ExpiresAt: time.Now().Add(ttl), keys: make(map[string]struct{})}
	// The timer fires on its own goroutine, after Grant has unlocked.
	l.timer = time.AfterFunc(ttl, func() { m.expire(id) })
	m.leases[id] = l
	return id, nil
}

// expire is the timer callback: it drops the lease unless a keepalive
// pushed its deadline out in the meantime.
func (m *Manager) expire(id ID) {
	m.mu.Lock()
	l, ok := m.leases[id]
	if !ok {
		m.mu.Unlock()
		return
	}
	if time.Until(l.ExpiresAt) > 0 {
		m.mu.Unlock()
		return // renewed after the timer fired
	}
	delete(m.leases, id)
	keys := sortedKeys(l.keys)
	m.mu.Unlock()

	if _, err := m.journal.Append(wal.Record{Type: wal.TypeRevoke, Lease: int64(id)}); err != nil {
		m.logger.Printf("lease: journal expiry of %d: %v", id, err)
	}
	m.notifyExpire(id, keys)
}

// KeepAlive pushes the lease's deadline one TTL into the future.
func (m *Manager) KeepAlive(id ID) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[id]
	if !ok {
		return 0, ErrNotFound
	}
	l.ExpiresAt = time.Now().Add(l.TTL)
	l.timer.Reset(l.TTL)
	return l.TTL, nil
}

// Revoke drops the lease now and releases its keys.
func (m *Manager) Revoke(id ID) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	l, ok := m.leases[id]
	if !ok {
		return ErrNotFound
	}
	l.timer.Stop()
	delete(m.leases, id)
	keys := sortedKeys(l.keys)
	m.mu.Unlock()

	if _, err := m.journal.Append(wal.Record{Type: wal.TypeRevoke, Lease: int64(id)}); err != nil {
		return err
	}
	m.notifyExpire(id, keys)
	return nil
}

// RevokeMany revokes every lease in ids, skipping unknown ones, and returns
// how many were dropped. Used when a session is torn down.
func (m *Manager) RevokeMany(ids []ID) int {
	n := 0
	for _, id := range ids {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		l, ok := m.leases[id]
		if !ok {
			continue
		}
		l.timer.Stop()
		delete(m.leases, id)
		n++
	}
	return n
}

// Attach records that key is held under lease id.
func (m *Manager) Attach(id ID, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[id]
	if !ok {
		return ErrNotFound
	}
	l.keys[key] = struct{}{}
	return nil
}

// Detach forgets that key is held under lease id.
func (m *Manager) Detach(id ID, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[id]; ok {
		delete(l.keys, key)
	}
}

// Lookup returns a copy of the lease.
func (m *Manager) Lookup(id ID) (Lease, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[id]
	if !ok {
		return Lease{}, false
	}
	return Lease{ID: l.ID, TTL: l.TTL, ExpiresAt: l.ExpiresAt, Keys: sortedKeys(l.keys)}, true
}

// List returns copies of all leases ordered by ID.
func (m *Manager) List() []Lease {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Lease, 0, len(m.leases))
	for _, l := range m.leases {
		out = append(out, Lease{ID: l.ID, TTL: l.TTL, ExpiresAt: l.ExpiresAt, Keys: sortedKeys(l.keys)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Expired returns the IDs of leases whose deadline has passed.
func (m *Manager) Expired(now time.Time) []ID {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []ID
	for id, l := range m.leases {
		if now.After(l.ExpiresAt) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Restore replaces the table with the leases of a snapshot. Leases whose
// deadline has already passed get a fresh, minimal grace period so that
// their holders can reconnect.
func (m *Manager) Restore(st *snapshot.State) {
	defer m.logger.Printf("lease: restored %d leases from snapshot at index %d", len(st.Leases), st.Index)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range m.leases {
		l.timer.Stop()
	}
	m.leases = make(map[ID]*Lease, len(st.Leases))
	now := time.Now()
	for _, ls := range st.Leases {
		id := ID(ls.ID)
		remaining := ls.ExpiresAt.Sub(now)
		if remaining < m.minTTL {
			remaining = m.minTTL
		}
		l := &Lease{ID: id, TTL: time.Duration(ls.TTLMillis) * time.Millisecond, ExpiresAt: now.Add(remaining), keys: make(map[string]struct{})}
		for _, k := range ls.Keys {
			l.keys[k] = struct{}{}
		}
		l.timer = time.AfterFunc(remaining, func() { m.expire(id) })
		m.leases[id] = l
		if id >= m.nextID {
			m.nextID = id + 1
		}
	}
	m.lastIndex = st.Index
}

// Checkpoint is a captured copy of the lease table, ready to be persisted.
type Checkpoint struct {
	state *snapshot.State
	snaps *snapshot.Snapshotter
}

// Checkpoint captures the current table.
func (m *Manager) Checkpoint() *Checkpoint {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := &snapshot.State{Index: m.lastIndex, Taken: time.Now()}
	for _, l := range m.leases {
		st.Leases = append(st.Leases, snapshot.LeaseState{
			ID: int64(l.ID), TTLMillis: l.TTL.Milliseconds(), ExpiresAt: l.ExpiresAt, Keys: sortedKeys(l.keys),
		})
	}
	return &Checkpoint{state: st, snaps: m.snaps}
}

// Index returns the log index the checkpoint is valid at.
func (c *Checkpoint) Index() uint64 { return c.state.Index }

// Persist writes the checkpoint through the snapshotter, if any.
func (c *Checkpoint) Persist() error {
	if c.snaps == nil {
		return nil
	}
	return c.snaps.Save(c.state)
}

// RevokeAll drops every lease (used when this server steps down as leader)
// and persists a checkpoint of the now empty table so that a restart does
// not resurrect them.
func (m *Manager) RevokeAll(reason string) int {
	defer m.Checkpoint().Persist() // HAZ defer-call-chain
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.leases)
	for id, l := range m.leases {
		l.timer.Stop()
		delete(m.leases, id)
	}
	m.logger.Printf("lease: revoked all %d leases: %s", n, reason)
	return n
}

// Len returns the number of live leases.
func (m *Manager) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.leases)
}

// notifyExpire runs the expiry callback. The callback belongs to the
// server; a bug in it must not kill the timer goroutine.
func (m *Manager) notifyExpire(id ID, keys []string) {
	defer func() { // HAZ recover-swallows-panic
		if r := recover(); r != nil {
			// keep the timer goroutine alive
		}
	}()
	m.onExpire(id, keys)
}

// attachAndJournal attaches key to lease id and records the acquisition.
func (m *Manager) attachAndJournal(id ID, key string) error {
	if err := m.Attach(id, key); err != nil {
		return err
	}
	_, err := m.journal.Append(wal.Record{Type: wal.TypeAcquire, Lease: int64(id), Key: key})
	return err
}

// MoveKey re-attaches key from lease from to lease to.
func (m *Manager) MoveKey(key string, from, to ID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	src, ok := m.leases[from]
	if !ok {
		return ErrNotFound
	}
	delete(src.keys, key)
	return m.attachAndJournal(to, key) // HAZ lock-reentry-under-defer
}

// RevokeConcurrently revokes ids in parallel: each revocation journals
// and runs the expiry callback, which may wait for slow watchers.
func (m *Manager) RevokeConcurrently(ids []ID) []error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.Revoke(id); err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			m.logger.Printf("lease: revoked %d", id)
		}()
	}
	wg.Wait()
	return errs
}

// TimeToLive returns how long lease id has left.
func (m *Manager) TimeToLive(id ID) (time.Duration, error) {
	l, ok := m.Lookup(id)
	if !ok {
		return 0, ErrNotFound
	}
	return time.Until(l.ExpiresAt), nil
}

// SetTTL changes the TTL used by future keepalives of lease id.
func (m *Manager) SetTTL(id ID, ttl time.Duration) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	l, ok := m.leases[id]
	if !ok {
		m.mu.Unlock()
		return ErrNotFound
	}
	if ttl < m.minTTL {
		panic(fmt.Sprintf("lease: SetTTL(%d, %v) below minimum %v", id, ttl, m.minTTL))
	}
	l.TTL = ttl
	m.mu.Unlock()
	return nil
}
