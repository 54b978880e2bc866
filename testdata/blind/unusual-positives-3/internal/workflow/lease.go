package workflow

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrLeaseBusy is returned when the lease limit is reached.
var ErrLeaseBusy = errors.New("workflow: no lease available")

// LeaseManager hands out a bounded number of execution leases.
type LeaseManager struct {
	active atomic.Int64
	limit  int64
}

// NewLeaseManager returns a manager allowing limit concurrent leases.
func NewLeaseManager(limit int) *LeaseManager {
	return &LeaseManager{limit: int64(limit)}
}

// Lease is one granted execution slot.
type Lease struct {
	m        *LeaseManager
	key      string
	released atomic.Bool
}

// Grant returns a lease for key, or ErrLeaseBusy.
func (m *LeaseManager) Grant(key string) (*Lease, error) {
	if m.active.Add(1) > m.limit {
		m.active.Add(-1)
		return nil, fmt.Errorf("%w: %s", ErrLeaseBusy, key)
	}
	return &Lease{m: m, key: key}, nil
}

// Release gives the slot back. Releasing twice is harmless.
func (l *Lease) Release() {
	if l.released.CompareAndSwap(false, true) {
		l.m.active.Add(-1)
	}
}
