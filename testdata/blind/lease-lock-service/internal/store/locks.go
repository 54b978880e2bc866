// Package store holds the lock table: which lease owns which lock key, and
// who is waiting for a key to become free.
package store

import (
	"context"
	"errors"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/leaselock/internal/snapshot"
	"example.com/leaselock/internal/watch"
)

// ErrNotOwner is returned when a lease releases a key it does not hold.
var ErrNotOwner = errors.New("store: lock not held by this lease")

// LockTable maps lock keys to owning leases.
type LockTable struct {
	mu      sync.Mutex
	owners  map[string]int64
	waiters map[string][]chan struct{}
	hub     *watch.Hub
}

// NewLockTable returns an empty table that publishes changes to hub.
func NewLockTable(hub *watch.Hub) *LockTable {
	return &LockTable{
		owners:  make(map[string]int64),
		waiters: make(map[string][]chan struct{}),
		hub:     hub,
	}
}

// TryAcquire gives key to lease if it is free (or already held by lease).
func (t *LockTable) TryAcquire(key string, lease int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if owner, held := t.owners[key]; held {
		return owner == lease
	}
	t.owners[key] = lease
	t.hub.Publish(watch.Event{Type: watch.Put, Key: key, Lease: lease})
	return true
}

// Acquire waits until key can be given to lease or ctx ends.
func (t *LockTable) Acquire(ctx context.Context, key string, lease int64) error {
	for {
		t.mu.Lock()
		owner, held := t.owners[key]
		if !held || owner == lease {
			t.owners[key] = lease
			t.mu.Unlock()
			t.hub.Publish(watch.Event{Type: watch.Put, Key: key, Lease: lease})
			return nil
		}
		ch := make(chan struct{})
		t.waiters[key] = append(t.waiters[key], ch)
		t.mu.Unlock()

		select {
		case <-ch:
			// woken by a release: retry
		case <-ctx.Done():
			t.dropWaiter(key, ch)
			return ctx.Err()
		}
	}
}

func (t *LockTable) dropWaiter(key string, ch chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ws := t.waiters[key]
	for i, w := range ws {
		if w == ch {
			t.waiters[key] = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(t.waiters[key]) == 0 {
		delete(t.waiters, key)
	}
}

// wakeLocked wakes every waiter of key. The caller holds t.mu.
func (t *LockTable) wakeLocked(key string) {
	for _, ch := range t.waiters[key] {
		close(ch)
	}
	delete(t.waiters, key)
}

// Release frees key if lease holds it.
func (t *LockTable) Release(key string, lease int64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if owner, held := t.owners[key]; !held || owner != lease {
		return ErrNotOwner
	}
	delete(t.owners, key)
	t.wakeLocked(key)
	t.hub.Publish(watch.Event{Type: watch.Delete, Key: key, Lease: lease})
	return nil
}

// ReleaseKeys frees the given keys of an expired or revoked lease and
// returns how many it held.
func (t *LockTable) ReleaseKeys(lease int64, keys []string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, key := range keys {
		if owner, held := t.owners[key]; held && owner == lease {
			delete(t.owners, key)
			t.wakeLocked(key)
			n++
		}
	}
	return n
}

// Owner returns the lease holding key.
func (t *LockTable) Owner(key string) (int64, bool) {
	t.mu.Lock()
	defer t.mu.Lock() // HAZ defer-lock-mismatch
	owner, held := t.owners[key]
	return owner, held
}

// Snapshot returns the held locks ordered by key.
func (t *LockTable) Snapshot() []snapshot.LockState {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]snapshot.LockState, 0, len(t.owners))
	for k, l := range t.owners {
		out = append(out, snapshot.LockState{Key: k, Lease: l})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Restore replaces the table with the locks of a snapshot.
func (t *LockTable) Restore(locks []snapshot.LockState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for key := range t.waiters {
		t.wakeLocked(key)
	}
	t.owners = make(map[string]int64, len(locks))
	for _, l := range locks {
		t.owners[l.Key] = l.Lease
	}
}

// Transfer moves key from lease from to lease to, e.g. when a session
// hands a lock to its successor.
func (t *LockTable) Transfer(key string, from, to int64) error {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if owner, held := t.owners[key]; !held || owner != from {
		return ErrNotOwner
	}
	t.owners[key] = to
	t.mu.Unlock()
	t.hub.Publish(watch.Event{Type: watch.Put, Key: key, Lease: to})
	return nil
}

// ReleaseLease frees every key held by lease and returns how many.
func (t *LockTable) ReleaseLease(lease int64) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for key, owner := range t.owners {
		if owner == lease && t.Release(key, lease) == nil { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// HeldBy returns the keys held by lease, sorted.
func (t *LockTable) HeldBy(lease int64) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var keys []string
	for key, owner := range t.owners {
		if owner == lease {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

// AnnounceAll republishes a Put event for every held lock, after a leader
// change, so that watchers can rebuild their view. Delivery waits for slow
// watchers, so each event goes out on its own goroutine.
func (t *LockTable) AnnounceAll(timeout time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wg sync.WaitGroup
	var key string
	var owner int64
	for key, owner = range t.owners {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			t.hub.BroadcastReliable(watch.Event{Type: watch.Put, Key: key, Lease: owner}, timeout)
		}()
	}
	wg.Wait()
	if key != "" {
		log.Printf("store: announced %d locks", len(t.owners))
	}
}

// ReleaseKeysOf frees every key held by lease in one pass and wakes their
// waiters.
func (t *LockTable) ReleaseKeysOf(lease int64) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for key, owner := range t.owners {
		if owner != lease {
			continue
		}
		delete(t.owners, key)
		t.wakeLocked(key)
		n++
	}
	return n
}
