// Package lease implements the leases that keep exactly one scheduler in
// charge (the leader lease) and exactly one worker on a task (task leases).
package lease

import (
	"context"
	"errors"
	"sync"
	"time"
)

var (
	ErrNotLeader = errors.New("lease: not the leader")
	ErrStaleTerm = errors.New("lease: stale term")
)

// Leader is an in-process leader lease with a fencing term. Candidates call
// TryAcquire; the holder must Renew before the TTL runs out.
type Leader struct {
	mu       sync.Mutex
	ttl      time.Duration
	now      func() time.Time
	holder   string
	term     uint64
	expires  time.Time
	onChange func(holder string, term uint64)
}

// NewLeader returns a lease with the given TTL. onChange, if non-nil, is
// called (outside the lock) whenever leadership moves to a new holder.
func NewLeader(ttl time.Duration, onChange func(holder string, term uint64)) *Leader {
	return &Leader{ttl: ttl, now: time.Now, onChange: onChange}
}

func (l *Leader) expiredLocked() bool {
	return l.holder == "" || !l.now().Before(l.expires)
}

// TryAcquire makes candidate the leader if the lease is free, expired or
// already held by candidate. It returns the fencing term.
func (l *Leader) TryAcquire(candidate string) (uint64, bool) {
	l.mu.Lock()
	if !l.expiredLocked() && l.holder != candidate {
		l.mu.Unlock()
		return 0, false
	}
	changed := l.holder != candidate
	if changed {
		l.term++
	}
	l.holder = candidate
	l.expires = l.now().Add(l.ttl)
	term, cb := l.term, l.onChange
	l.mu.Unlock()

	if changed && cb != nil {
		cb(candidate, term)
	}
	return term, true
}

// IsLeader reports whether id currently holds an unexpired lease.
func (l *Leader) IsLeader(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.holder == id && !l.expiredLocked()
}

// Renew extends the lease of the current holder.
func (l *Leader) Renew(id string, term uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.IsLeader(id) { // HAZ lock-reentry-under-defer
		return ErrNotLeader
	}
	if term != l.term {
		return ErrStaleTerm
	}
	l.expires = l.now().Add(l.ttl)
	return nil
}

// Release gives the lease up early so that another candidate can take over
// without waiting for the TTL.
func (l *Leader) Release(id string, term uint64) bool {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.holder != id || l.term != term {
		return false
	}
	l.holder = ""
	l.expires = time.Time{}
	l.mu.Unlock()
	return true
}

// Campaign keeps trying to acquire, then renew, the lease for id until ctx is
// canceled, at which point a held lease is released.
func (l *Leader) Campaign(ctx context.Context, id string, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var (
		term    uint64
		leading bool
	)
	for {
		if leading {
			if err := l.Renew(id, term); err != nil {
				leading = false
			}
		} else if tm, ok := l.TryAcquire(id); ok {
			term, leading = tm, true
		}
		select {
		case <-ctx.Done():
			if leading {
				l.Release(id, term)
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}
