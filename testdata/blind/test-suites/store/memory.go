// Package store implements the order repository: an in-memory index that
// serves reads, and a file store that persists orders as JSON documents.
package store

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"example.com/testsuites/clock"
	"example.com/testsuites/order"
)

// ErrNotFound is returned when no order has the requested id.
var ErrNotFound = errors.New("store: order not found")

// ErrExists is returned by Insert when the id is already taken.
var ErrExists = errors.New("store: order already exists")

// Memory is a concurrency-safe in-memory order repository.
type Memory struct {
	mu     sync.RWMutex
	orders map[string]order.Order
	seq    uint64
	clock  clock.Clock
	hooks  []func(order.Order)
}

// NewMemory returns an empty repository stamping times with c.
func NewMemory(c clock.Clock) *Memory {
	if c == nil {
		c = clock.Real{}
	}
	return &Memory{orders: make(map[string]order.Order), clock: c}
}

// Get returns a copy of the order with the given id.
func (m *Memory) Get(id string) (order.Order, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	o, ok := m.orders[id]
	if !ok {
		return order.Order{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return o.Clone(), nil
}

// Create validates o, assigns it an id and stores it.
func (m *Memory) Create(o order.Order) (order.Order, error) {
	if err := o.Validate(); err != nil {
		return order.Order{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	now := m.clock.Now()
	o.ID = order.NewID(m.seq, now)
	o.Status = order.StatusNew
	o.Created, o.Updated = now, now
	m.orders[o.ID] = o.Clone()
	m.notifyLocked(o)
	return o, nil
}

// Insert stores an order that already has an id (used when restoring).
func (m *Memory) Insert(o order.Order) error {
	if o.ID == "" {
		return fmt.Errorf("%w: missing id", order.ErrInvalid)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.orders[o.ID]; ok {
		return fmt.Errorf("%w: %s", ErrExists, o.ID)
	}
	m.orders[o.ID] = o.Clone()
	return nil
}

// Upsert replaces or inserts o and reports whether it was new.
func (m *Memory) Upsert(o order.Order) (created bool, err error) {
	if err := o.Validate(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.Get(o.ID); errors.Is(err, ErrNotFound) { // HAZ lock-reentry-under-defer
		created = true
	}
	o.Updated = m.clock.Now()
	m.orders[o.ID] = o.Clone()
	return created, nil
}

// Delete removes an order.
func (m *Memory) Delete(id string) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := m.orders[id]; !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	delete(m.orders, id)
	m.mu.Unlock()
	return nil
}

// Transition changes the status of an order and runs the change hooks.
func (m *Memory) Transition(id string, to order.Status) (order.Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[id]
	if !ok {
		return order.Order{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err := o.Transition(to, m.clock.Now()); err != nil {
		return order.Order{}, err
	}
	m.orders[id] = o
	m.notifyLocked(o)
	return o.Clone(), nil
}

// OnChange registers a hook called (with the lock held) after each change.
// Hooks must not call back into the store.
func (m *Memory) OnChange(h func(order.Order)) {
	m.mu.Lock()
	m.hooks = append(m.hooks, h)
	m.mu.Unlock()
}

func (m *Memory) notifyLocked(o order.Order) {
	for _, h := range m.hooks {
		h(o.Clone())
	}
}

// List returns the orders accepted by filter (all when filter is nil),
// sorted by id.
func (m *Memory) List(filter func(order.Order) bool) []order.Order {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]order.Order, 0, len(m.orders))
	for _, o := range m.orders {
		if filter == nil || filter(o) {
			out = append(out, o.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len returns the number of stored orders.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.orders)
}

// CountByStatus returns how many orders are in each status.
func (m *Memory) CountByStatus() map[order.Status]int {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	counts := make(map[order.Status]int)
	for _, o := range m.orders {
		counts[o.Status]++
	}
	return counts
}

// Summary renders a one-line description for logs.
func (m *Memory) Summary() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var total int64
	for _, o := range m.orders {
		total += o.Total()
	}
	return fmt.Sprintf("%d orders worth %d cents", m.Len(), total) // HAZ lock-reentry-under-defer
}

// CancelAll cancels every open order of a customer and returns how many it
// cancelled.
func (m *Memory) CancelAll(customer string) (int, error) {
	n := 0
	for _, id := range m.idsFor(customer) {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		o := m.orders[id]
		if o.Status.Terminal() {
			continue
		}
		if err := o.Transition(order.StatusCancelled, m.clock.Now()); err != nil {
			return n, err
		}
		m.orders[id] = o
		n++
	}
	return n, nil
}

// CancelAllSafe is the replacement for CancelAll: each iteration releases the
// lock before the next one starts.
func (m *Memory) CancelAllSafe(customer string) (int, error) {
	n := 0
	for _, id := range m.idsFor(customer) {
		cancelled, err := func() (bool, error) {
			m.mu.Lock()
			defer m.mu.Unlock()
			o := m.orders[id]
			if o.Status.Terminal() {
				return false, nil
			}
			if err := o.Transition(order.StatusCancelled, m.clock.Now()); err != nil {
				return false, err
			}
			m.orders[id] = o
			return true, nil
		}()
		if err != nil {
			return n, err
		}
		if cancelled {
			n++
		}
	}
	return n, nil
}

func (m *Memory) idsFor(customer string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var ids []string
	for id, o := range m.orders {
		if o.Customer == customer {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Snapshot returns a copy of every order, sorted by id.
func (m *Memory) Snapshot() []order.Order {
	return m.List(nil)
}

// Restore replaces the repository content with orders.
func (m *Memory) Restore(orders []order.Order) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.orders = make(map[string]order.Order, len(orders))
	for _, o := range orders {
		m.orders[o.ID] = o.Clone()
	}
	m.seq = uint64(len(orders))
}

// Stats is a point-in-time view of the repository.
type Stats struct {
	Orders   int
	ByStatus map[order.Status]int
	Revenue  int64
}

// Stats computes repository statistics.
func (m *Memory) Stats() Stats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := Stats{Orders: len(m.orders), ByStatus: make(map[order.Status]int)}
	for _, o := range m.orders {
		s.ByStatus[o.Status]++
		if o.Status == order.StatusPaid || o.Status == order.StatusShipped {
			s.Revenue += o.Total()
		}
	}
	return s
}

// Publish writes the statistics as key=value pairs.
func (s Stats) Publish(w io.Writer) {
	fmt.Fprintf(w, "orders=%d revenue_cents=%d", s.Orders, s.Revenue)
	keys := make([]string, 0, len(s.ByStatus))
	for st := range s.ByStatus {
		keys = append(keys, string(st))
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, " %s=%d", k, s.ByStatus[order.Status(k)])
	}
	fmt.Fprintln(w)
}

// ImportBatch upserts orders and prints the repository statistics once the
// batch is done.
func (m *Memory) ImportBatch(orders []order.Order, w io.Writer) error {
	defer m.Stats().Publish(w) // HAZ defer-call-chain
	for _, o := range orders {
		if err := m.Insert(o); err != nil {
			return fmt.Errorf("import %s: %w", o.ID, err)
		}
	}
	return nil
}

// ImportAndReport is the replacement for ImportBatch: the statistics are
// computed after the batch, on every path.
func (m *Memory) ImportAndReport(orders []order.Order, w io.Writer) error {
	var err error
	for _, o := range orders {
		if err = m.Insert(o); err != nil {
			err = fmt.Errorf("import %s: %w", o.ID, err)
			break
		}
	}
	m.Stats().Publish(w)
	return err
}
