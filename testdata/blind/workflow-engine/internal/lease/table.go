package lease

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

var (
	ErrHeld = errors.New("lease: task already leased")
	ErrLost = errors.New("lease: lease lost")
)

// Lease grants one worker exclusive ownership of a task until Expires.
type Lease struct {
	TaskID  string
	Worker  string
	Token   uint64
	Expires time.Time
}

// Table tracks task leases. Tokens are fencing tokens: a worker whose lease
// was reaped and re-granted cannot extend or release the new lease.
type Table struct {
	mu     sync.Mutex
	leases map[string]Lease
	seq    uint64
	now    func() time.Time
}

// NewTable returns an empty lease table.
func NewTable() *Table {
	return &Table{leases: make(map[string]Lease), now: time.Now}
}

// Grant leases taskID to worker for ttl.
func (t *Table) Grant(taskID, worker string, ttl time.Duration) (Lease, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur, ok := t.leases[taskID]; ok && t.now().Before(cur.Expires) {
		return Lease{}, fmt.Errorf("%w: %s held by %s", ErrHeld, taskID, cur.Worker)
	}
	t.seq++
	l := Lease{TaskID: taskID, Worker: worker, Token: t.seq, Expires: t.now().Add(ttl)}
	t.leases[taskID] = l
	return l, nil
}

// Extend pushes the expiry of a lease the caller still holds.
func (t *Table) Extend(taskID string, token uint64, ttl time.Duration) error {
	t.mu.Lock()
	l, ok := t.leases[taskID]
	if !ok || l.Token != token {
		t.mu.Unlock()
		return ErrLost
	}
	l.Expires = t.now().Add(ttl)
	t.leases[taskID] = l
	t.mu.Unlock()
	return nil
}

// ExtendWorker extends every lease held by worker, e.g. after the worker
// reconnected, and returns how many were extended.
func (t *Table) ExtendWorker(worker string, ttl time.Duration) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for id, l := range t.leases {
		if l.Worker == worker && t.Extend(id, l.Token, ttl) == nil { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Release ends a lease early.
func (t *Table) Release(taskID string, token uint64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.leases[taskID]
	if !ok || l.Token != token {
		return ErrLost
	}
	delete(t.leases, taskID)
	return nil
}

// Reap drops expired leases and returns their task IDs, sorted.
func (t *Table) Reap(now time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ids []string
	for id, l := range t.leases {
		if now.Before(l.Expires) {
			continue
		}
		delete(t.leases, id)
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Snapshot returns the live leases ordered by task ID, for the admin page.
func (t *Table) Snapshot() []Lease {
	t.mu.Lock()
	defer t.mu.Lock() // HAZ defer-lock-mismatch
	out := make([]Lease, 0, len(t.leases))
	for _, l := range t.leases {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TaskID < out[j].TaskID })
	return out
}

// ExpiringWithin lists leases that run out within d of now, ordered by
// expiry, so that the scheduler can warn their workers.
func (t *Table) ExpiringWithin(now time.Time, d time.Duration) []Lease {
	t.mu.Lock()
	var out []Lease
	for _, l := range t.leases {
		if l.Expires.Sub(now) <= d {
			out = append(out, l)
		}
	}
	t.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Expires.Before(out[j].Expires) })
	return out
}
