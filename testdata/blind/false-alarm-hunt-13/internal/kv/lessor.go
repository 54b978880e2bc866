package kv

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

var (
	ErrLeaseNotFound = errors.New("kv: lease not found")
	ErrLeaseExpired  = errors.New("kv: lease expired")
)

// LeaseID identifies a lease.
type LeaseID int64

type lease struct {
	id     LeaseID
	ttl    time.Duration
	expiry time.Time
	keys   map[string]struct{}
	timer  *time.Timer
}

// Lessor hands out TTL leases; keys attached to a lease are deleted from the
// store when it expires or is revoked.
type Lessor struct {
	mu      sync.Mutex
	store   *Store
	leases  map[LeaseID]*lease
	next    LeaseID
	expired chan LeaseID
	now     func() time.Time
}

// NewLessor returns a lessor for store. Expired lease ids are reported on a
// channel with room for expiredBuf ids; excess notifications are dropped.
func NewLessor(store *Store, expiredBuf int) *Lessor {
	return &Lessor{
		store:   store,
		leases:  make(map[LeaseID]*lease),
		expired: make(chan LeaseID, expiredBuf),
		now:     time.Now,
	}
}

// Grant creates a lease that expires after ttl unless renewed.
func (l *Lessor) Grant(ttl time.Duration) LeaseID {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	id := l.next
	le := &lease{id: id, ttl: ttl, expiry: l.now().Add(ttl), keys: make(map[string]struct{})}
	le.timer = time.AfterFunc(ttl, func() { l.expire(id) })
	l.leases[id] = le
	return id
}

// GrantWithCallback is Grant with a callback that runs after the lease has
// expired on its own and its keys have been deleted.
func (l *Lessor) GrantWithCallback(ttl time.Duration, onExpire func(LeaseID)) LeaseID {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	id := l.next
	le := &lease{id: id, ttl: ttl, expiry: l.now().Add(ttl), keys: make(map[string]struct{})}
	le.timer = time.AfterFunc(ttl, func() {
		defer l.notePanic(id, recover()) // HAZ recover-ineffective
		l.expire(id)
		onExpire(id)
	})
	l.leases[id] = le
	return id
}

// notePanic logs a panic value raised by a lease callback.
func (l *Lessor) notePanic(id LeaseID, v any) {
	if v != nil {
		log.Printf("kv: expiry callback for lease %d panicked: %v", id, v)
	}
}

// Attach ties key to the lease id.
func (l *Lessor) Attach(id LeaseID, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	le, ok := l.leases[id]
	if !ok {
		return fmt.Errorf("%w: %d", ErrLeaseNotFound, id)
	}
	le.keys[key] = struct{}{}
	return nil
}

// Renew pushes the lease's expiry out by its TTL and returns the TTL.
func (l *Lessor) Renew(id LeaseID) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	le, ok := l.leases[id]
	if !ok {
		return 0, fmt.Errorf("%w: %d", ErrLeaseNotFound, id)
	}
	if !le.timer.Stop() {
		// The expiry callback is already running and waiting for l.mu.
		return 0, fmt.Errorf("%w: %d", ErrLeaseExpired, id)
	}
	le.expiry = l.now().Add(le.ttl)
	le.timer.Reset(le.ttl)
	return le.ttl, nil
}

// RenewAll renews every lease in ids and returns those that could not be
// renewed because they were unknown or already expiring.
func (l *Lessor) RenewAll(ids []LeaseID) []LeaseID {
	var failed []LeaseID
	for _, id := range ids {
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		le, ok := l.leases[id]
		if !ok || !le.timer.Stop() {
			failed = append(failed, id)
			continue
		}
		le.expiry = l.now().Add(le.ttl)
		le.timer.Reset(le.ttl)
	}
	return failed
}

// Revoke ends the lease now and deletes its keys.
func (l *Lessor) Revoke(id LeaseID) error {
	l.mu.Lock()
	le, ok := l.leases[id]
	if !ok {
		l.mu.Unlock()
		return fmt.Errorf("%w: %d", ErrLeaseNotFound, id)
	}
	le.timer.Stop()
	delete(l.leases, id)
	keys := sortedKeys(le.keys)
	l.mu.Unlock()

	// Delete outside l.mu: the store has its own lock and we never hold both.
	for _, k := range keys {
		l.store.Delete(k)
	}
	return nil
}

// expire is the timer callback for lease id.
func (l *Lessor) expire(id LeaseID) {
	l.mu.Lock()
	le, ok := l.leases[id]
	if !ok {
		l.mu.Unlock()
		return
	}
	delete(l.leases, id)
	keys := sortedKeys(le.keys)
	l.mu.Unlock()

	for _, k := range keys {
		l.store.Delete(k)
	}
	select {
	case l.expired <- id:
	default:
	}
}

// Expired reports ids of leases that expired on their own.
func (l *Lessor) Expired() <-chan LeaseID {
	return l.expired
}

// TimeToLive returns the remaining time of lease id.
func (l *Lessor) TimeToLive(id LeaseID) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	le, ok := l.leases[id]
	if !ok {
		return 0, false
	}
	return le.expiry.Sub(l.now()), true
}

// KeepAlive renews lease id every interval until ctx is done or a renewal
// fails, reporting each new TTL on the returned channel. The channel is
// closed when the keep-alive loop stops.
func (l *Lessor) KeepAlive(ctx context.Context, id LeaseID, interval time.Duration) <-chan time.Duration {
	out := make(chan time.Duration)
	go func() {
		defer close(out)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			ttl, err := l.Renew(id)
			if err != nil {
				return
			}
			select {
			case out <- ttl:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func sortedKeys(m map[string]struct{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
