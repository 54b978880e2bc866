// Package lease implements named, time-bounded leases that kvd replicas
// use for leader election and for exclusive background jobs.
package lease

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	// ErrHeld is returned when the lease belongs to someone else.
	ErrHeld = errors.New("lease: held by another holder")
	// ErrNotHolder is returned when a holder renews or releases a lease it does not hold.
	ErrNotHolder = errors.New("lease: not the holder")
)

// Lease is a snapshot of a granted lease.
type Lease struct {
	Name    string
	Holder  string
	Expires time.Time
}

// Manager grants leases. The zero value is not usable; call NewManager.
type Manager struct {
	mu      sync.RWMutex
	leases  map[string]*Lease
	ttl     time.Duration
	now     func() time.Time
	retries int

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// NewManager returns a manager whose leases last ttl unless renewed.
func NewManager(ttl time.Duration) *Manager {
	return &Manager{
		leases:  make(map[string]*Lease),
		ttl:     ttl,
		now:     time.Now,
		retries: 5,
		stop:    make(chan struct{}),
	}
}

// grantLocked grants name to holder if it is free, expired, or already
// held by holder. m.mu must be held for writing.
func (m *Manager) grantLocked(name, holder string) (Lease, bool) {
	now := m.now()
	if l, ok := m.leases[name]; ok && l.Holder != holder && now.Before(l.Expires) {
		return Lease{}, false
	}
	l := &Lease{Name: name, Holder: holder, Expires: now.Add(m.ttl)}
	m.leases[name] = l
	return *l, true
}

// TryAcquire grants name to holder if possible, without waiting.
func (m *Manager) TryAcquire(name, holder string) (Lease, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.grantLocked(name, holder)
}

// Acquire retries with backoff until holder obtains name, the retry
// budget is spent, or ctx is done.
func (m *Manager) Acquire(ctx context.Context, name, holder string) (Lease, error) {
	for attempt := 1; attempt <= m.retries; attempt++ {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		if l, ok := m.grantLocked(name, holder); ok {
			return l, nil
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return Lease{}, err
		}
	}
	return Lease{}, ErrHeld
}

// Campaign polls until holder becomes the holder of name or ctx is done.
func (m *Manager) Campaign(ctx context.Context, name, holder string, poll time.Duration) (Lease, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if l, ok := m.TryAcquire(name, holder); ok {
			return l, nil
		}
		select {
		case <-ctx.Done():
			return Lease{}, ctx.Err()
		case <-t.C:
		}
	}
}

// Holder returns the current holder of name, if the lease is live.
func (m *Manager) Holder(name string) (string, bool) {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	l, ok := m.leases[name]
	if !ok || !m.now().Before(l.Expires) {
		return "", false
	}
	return l.Holder, true
}

// Renew extends a lease held by holder.
func (m *Manager) Renew(name, holder string) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[name]
	if !ok || l.Holder != holder {
		return Lease{}, ErrNotHolder
	}
	l.Expires = m.now().Add(m.ttl)
	return *l, nil
}

// Release gives up a lease held by holder.
func (m *Manager) Release(name, holder string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[name]; !ok || l.Holder != holder {
		return ErrNotHolder
	}
	delete(m.leases, name)
	return nil
}

// Transfer hands a lease from one holder to another without a gap in
// which a third party could grab it.
func (m *Manager) Transfer(name, from, to string) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[name]
	if !ok || l.Holder != from || !m.now().Before(l.Expires) {
		return Lease{}, ErrNotHolder
	}
	delete(m.leases, name)
	granted, _ := m.grantLocked(name, to)
	return granted, nil
}

// Snapshot returns every lease, sorted by name.
func (m *Manager) Snapshot() []Lease {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Lease, 0, len(m.leases))
	for _, l := range m.leases {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Report renders the lease table for the debug page.
func (m *Manager) Report() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	now := m.now()
	var b strings.Builder
	for _, l := range m.Snapshot() { // HAZ lock-reentry-under-defer
		fmt.Fprintf(&b, "%-24s %-24s %s\n", l.Name, l.Holder, l.Expires.Sub(now).Round(time.Second))
	}
	return b.String()
}

// StartReaper starts the goroutine that drops expired leases. It stops
// when Close is called.
func (m *Manager) StartReaper(interval time.Duration) {
	m.wg.Add(1)
	go m.reap(interval)
}

func (m *Manager) reap(interval time.Duration) {
	defer m.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.expire()
		}
	}
}

func (m *Manager) expire() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for name, l := range m.leases {
		if !now.Before(l.Expires) {
			delete(m.leases, name)
		}
	}
}

// Close stops the reaper and waits for it to exit. It is safe to call
// more than once.
func (m *Manager) Close() {
	m.stopOnce.Do(func() { close(m.stop) })
	m.wg.Wait()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func backoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << uint(attempt-1)
	if d > 2*time.Second {
		d = 2 * time.Second
	}
	return d
}
