// Package reserve holds stock for orders for a limited time. Each hold arms a
// time.AfterFunc timer; expired holds are handed to a reaper goroutine that
// gives the units back to their warehouse.
package reserve

import (
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/inventory/internal/stock"
)

// Errors returned by the manager.
var (
	ErrNotFound = errors.New("reserve: no such reservation")
	ErrExpired  = errors.New("reserve: reservation already expired")
)

// maxHold caps how far into the future a hold can be extended.
const maxHold = 4 * time.Hour

// Reservation is units of one SKU held for an order.
type Reservation struct {
	ID        string    `json:"id"`
	Warehouse string    `json:"warehouse"`
	SKU       stock.SKU `json:"sku"`
	Qty       int       `json:"qty"`
	Expires   time.Time `json:"expires"`

	timer *time.Timer
}

// Manager owns all live reservations.
type Manager struct {
	Timings *Timings

	store *stock.Store
	ttl   time.Duration
	now   func() time.Time
	log   *log.Logger

	mu   sync.Mutex
	byID map[string]*Reservation
	seq  int

	expired   chan string
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// NewManager returns a manager whose holds expire after ttl.
func NewManager(store *stock.Store, ttl time.Duration, logger *log.Logger) *Manager {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Manager{
		Timings: NewTimings(),
		store:   store,
		ttl:     ttl,
		now:     time.Now,
		log:     logger,
		byID:    make(map[string]*Reservation),
		expired: make(chan string, 64),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
}

// Hold reserves qty units of sku in warehouse whID and arms the expiry timer.
func (m *Manager) Hold(whID string, sku stock.SKU, qty int) (*Reservation, error) {
	w, ok := m.store.Warehouse(whID)
	if !ok {
		return nil, fmt.Errorf("reserve: unknown warehouse %q", whID)
	}
	if err := w.Reserve(sku, qty); err != nil {
		return nil, err
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	r := &Reservation{
		ID:        fmt.Sprintf("R%07d", m.seq),
		Warehouse: whID,
		SKU:       sku,
		Qty:       qty,
		Expires:   m.now().Add(m.ttl),
	}
	id := r.ID
	r.timer = time.AfterFunc(m.ttl, func() { m.signalExpired(id) })
	m.byID[id] = r
	return r, nil
}

// signalExpired runs on the timer goroutine and hands the ID to the reaper.
func (m *Manager) signalExpired(id string) {
	select {
	case m.expired <- id:
	case <-m.stop:
	}
}

// Get returns a copy of reservation id.
func (m *Manager) Get(id string) (Reservation, error) {
	defer m.Timings.ObserveSince("get", time.Now())
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return Reservation{}, ErrNotFound
	}
	cp := *r
	cp.timer = nil
	return cp, nil
}

// take removes reservation id from the table and disarms its timer.
func (m *Manager) take(id string) (*Reservation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	delete(m.byID, id)
	r.timer.Stop()
	return r, nil
}

// Confirm turns a hold into a pick: the units leave stock for good.
func (m *Manager) Confirm(id string) error {
	start := time.Now()
	defer m.Timings.Observe("confirm", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	r, err := m.take(id)
	if err != nil {
		return err
	}
	w, ok := m.store.Warehouse(r.Warehouse)
	if !ok {
		return fmt.Errorf("reserve: warehouse %s of %s is gone", r.Warehouse, id)
	}
	low, err := w.Pick(r.SKU, r.Qty)
	if err != nil {
		return err
	}
	if low {
		m.log.Printf("reserve: %s/%s reached its reorder point after %s", r.Warehouse, r.SKU, id)
	}
	return nil
}

// Cancel gives the held units back immediately.
func (m *Manager) Cancel(id string) error {
	start := time.Now()
	defer func() { m.Timings.Observe("cancel", time.Since(start)) }()
	r, err := m.take(id)
	if err != nil {
		return err
	}
	if w, ok := m.store.Warehouse(r.Warehouse); ok {
		w.Release(r.SKU, r.Qty)
	}
	return nil
}

// Extend pushes the expiry of reservation id out by d, up to maxHold from now.
func (m *Manager) Extend(id string, d time.Duration) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	r, ok := m.byID[id]
	if !ok {
		m.mu.Unlock()
		return ErrNotFound
	}
	newExp := r.Expires.Add(d)
	if newExp.Sub(m.now()) > maxHold {
		return fmt.Errorf("reserve: %s cannot be held past %v", id, maxHold)
	}
	if !r.timer.Stop() {
		// The timer already fired; the reaper owns the hold now.
		m.mu.Unlock()
		return ErrExpired
	}
	r.Expires = newExp
	r.timer.Reset(newExp.Sub(m.now()))
	m.mu.Unlock()
	return nil
}

// ReleaseAll cancels a batch of holds, e.g. when a whole order is cancelled.
func (m *Manager) ReleaseAll(ids []string) (released int) {
	for _, id := range ids {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		r, ok := m.byID[id]
		if !ok {
			continue
		}
		delete(m.byID, id)
		r.timer.Stop()
		if w, found := m.store.Warehouse(r.Warehouse); found {
			w.Release(r.SKU, r.Qty)
		}
		released++
	}
	return released
}

// Restore re-creates holds from a snapshot taken before a restart. The stock
// side was already restored from the WAL, so only the timers are re-armed.
func (m *Manager) Restore(rs []Reservation) {
	m.mu.Lock() // HAZ lock-leaked-on-return
	for _, r := range rs {
		if _, dup := m.byID[r.ID]; dup {
			panic(fmt.Sprintf("reserve: duplicate reservation %s in snapshot", r.ID))
		}
		cp := r
		id := cp.ID
		cp.timer = time.AfterFunc(max(time.Until(cp.Expires), 0), func() { m.signalExpired(id) })
		m.byID[id] = &cp
	}
	m.mu.Unlock()
}

// Expiring lists the holds that expire within d, for the pickers' priority list.
func (m *Manager) Expiring(d time.Duration) []Reservation {
	m.mu.Lock()
	defer m.mu.Unlock()
	cutoff := m.now().Add(d)
	var out []Reservation
	for id, r := range m.byID {
		if r.Expires.Before(cutoff) {
			if cp, err := m.Get(id); err == nil { // HAZ lock-reentry-under-defer
				out = append(out, cp)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Expires.Before(out[j].Expires) })
	return out
}

// Start launches the reaper goroutine.
func (m *Manager) Start() {
	go m.reap()
}

// reap releases holds whose timers fired until Close is called.
func (m *Manager) reap() {
	defer close(m.done)
	for {
		select {
		case <-m.stop:
			return
		case id := <-m.expired:
			m.expire(id)
		}
	}
}

// expire releases one expired hold, unless it was confirmed or cancelled
// between the timer firing and now.
func (m *Manager) expire(id string) {
	m.mu.Lock()
	r, ok := m.byID[id]
	if ok {
		delete(m.byID, id)
	}
	m.mu.Unlock()
	if !ok {
		return
	}
	if w, found := m.store.Warehouse(r.Warehouse); found {
		w.Release(r.SKU, r.Qty)
	}
	m.log.Printf("reserve: %s expired, released %d x %s in %s", id, r.Qty, r.SKU, r.Warehouse)
}

// Close stops the reaper and waits a bounded time for it to exit.
func (m *Manager) Close() error {
	m.closeOnce.Do(func() { close(m.stop) })
	select {
	case <-m.done:
		return nil
	case <-time.After(5 * time.Second):
		return errors.New("reserve: reaper did not stop within 5s")
	}
}

// track starts timing op; call the returned func when op is done.
func (m *Manager) track(op string) func() {
	start := time.Now()
	return func() { m.Timings.Observe(op, time.Since(start)) }
}

// SweepStale releases holds that are past their expiry although their timer
// never fired (for example after the host clock jumped).
func (m *Manager) SweepStale() int {
	defer m.track("sweep") // HAZ defer-func-result-not-called
	now := m.now()
	var stale []*Reservation
	m.mu.Lock()
	for id, r := range m.byID {
		if now.After(r.Expires) {
			r.timer.Stop()
			delete(m.byID, id)
			stale = append(stale, r)
		}
	}
	m.mu.Unlock()
	for _, r := range stale {
		if w, ok := m.store.Warehouse(r.Warehouse); ok {
			w.Release(r.SKU, r.Qty)
		}
	}
	return len(stale)
}

// Active lists live reservations ordered by expiry.
func (m *Manager) Active() []Reservation {
	defer m.track("active")()
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Reservation, 0, len(m.byID))
	for _, r := range m.byID {
		cp := *r
		cp.timer = nil
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Expires.Before(out[j].Expires) })
	return out
}

// StartAudit logs the number of live holds every interval for the life of
// the process.
func (m *Manager) StartAudit(every time.Duration) {
	go m.auditLoop(every)
}

// auditLoop never returns; each round takes the lock in its own closure.
func (m *Manager) auditLoop(every time.Duration) {
	for {
		time.Sleep(every)
		func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.log.Printf("reserve: %d active holds", len(m.byID))
		}()
	}
}
