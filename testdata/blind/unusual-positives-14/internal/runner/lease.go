package runner

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLeaseHeld is returned when another caller holds the lease.
var ErrLeaseHeld = errors.New("runner: lease held")

// Leases hands out named, exclusive leases with a time limit.
type Leases struct {
	held sync.Map // name -> time.Time acquired
	ttl  time.Duration
}

// Lease is one acquired name.
type Lease struct {
	owner    *Leases
	name     string
	acquired time.Time
	released atomic.Bool
}

// Acquire takes the lease on name.
func (l *Leases) Acquire(name string) (*Lease, error) {
	now := time.Now()
	if _, loaded := l.held.LoadOrStore(name, now); loaded {
		return nil, fmt.Errorf("%w: %s", ErrLeaseHeld, name)
	}
	return &Lease{owner: l, name: name, acquired: now}, nil
}

// Release gives the lease back. It reports an error when the lease outlived
// its time limit, because others may then have run concurrently.
func (le *Lease) Release() error {
	if !le.released.CompareAndSwap(false, true) {
		return fmt.Errorf("runner: lease %s released twice", le.name)
	}
	le.owner.held.Delete(le.name)
	if ttl := le.owner.ttl; ttl > 0 {
		if held := time.Since(le.acquired); held > ttl {
			return fmt.Errorf("runner: lease %s held %v, over its %v limit", le.name, held, ttl)
		}
	}
	return nil
}
