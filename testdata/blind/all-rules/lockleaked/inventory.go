// Package inventory tracks stock levels and reservations.
package inventory

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrUnknownSKU is returned for unknown items.
var ErrUnknownSKU = errors.New("inventory: unknown sku")

// ErrInsufficient is returned when stock is too low.
var ErrInsufficient = errors.New("inventory: insufficient stock")

// Item is one stocked item.
type Item struct {
	SKU      string
	Quantity int
	Reserved int
}

// Stock holds all items.
type Stock struct {
	mu     sync.Mutex
	items  map[string]*Item
	closed bool
	done   chan struct{}
	events chan string
}

// Catalog is read-mostly.
type Catalog struct {
	mu     sync.RWMutex
	prices map[string]int
}

// Ledger embeds its mutex.
type Ledger struct {
	sync.Mutex
	entries []string
	limit   int
}

// Table is a generic keyed table.
type Table[K comparable, V any] struct {
	mu   sync.Mutex
	rows map[K]V
}

// Reserve reserves qty units of sku.
func (s *Stock) Reserve(sku string, qty int) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	it, ok := s.items[sku]
	if !ok {
		return ErrUnknownSKU
	}
	if it.Quantity-it.Reserved < qty {
		s.mu.Unlock()
		return ErrInsufficient
	}
	it.Reserved += qty
	s.mu.Unlock()
	return nil
}

// Adjust applies a stock movement.
func (s *Stock) Adjust(sku, kind string, qty int) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	it := s.items[sku]
	switch kind {
	case "receive":
		it.Quantity += qty
	case "ship":
		if it.Quantity < qty {
			return fmt.Errorf("ship %d of %s: %w", qty, sku, ErrInsufficient)
		}
		it.Quantity -= qty
	default:
		s.mu.Unlock()
		return fmt.Errorf("unknown movement %q", kind)
	}
	s.mu.Unlock()
	return nil
}

// FindEmpty returns the first sku with no stock.
func (s *Stock) FindEmpty() string {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for sku, it := range s.items {
		if it.Quantity == 0 {
			return sku
		}
	}
	s.mu.Unlock()
	return ""
}

// SetQuantity sets an absolute quantity.
func (s *Stock) SetQuantity(sku string, qty int) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if qty < 0 {
		panic(fmt.Sprintf("negative quantity %d for %s", qty, sku))
	}
	s.items[sku].Quantity = qty
	s.mu.Unlock()
}

// Close marks the stock closed once.
func (s *Stock) Close() {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if !s.closed {
		s.closed = true
		s.mu.Unlock()
		close(s.done)
	}
}

// Price returns the price of sku.
func (c *Catalog) Price(sku string) (int, error) {
	c.mu.RLock() // HAZ lock-leaked-on-return
	p, ok := c.prices[sku]
	if !ok {
		return 0, ErrUnknownSKU
	}
	c.mu.RUnlock()
	return p, nil
}

// Lookup returns the row for k.
func (t *Table[K, V]) Lookup(k K) (V, error) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	v, ok := t.rows[k]
	if !ok {
		var zero V
		return zero, fmt.Errorf("no row for %v", k)
	}
	t.mu.Unlock()
	return v, nil
}

// Append records an entry, refusing past the limit.
func (l *Ledger) Append(entry string) error {
	l.Lock() // HAZ lock-leaked-on-return
	if len(l.entries) >= l.limit {
		return errors.New("ledger full")
	}
	l.entries = append(l.entries, entry)
	l.Unlock()
	return nil
}

// Notify publishes an event about sku unless ctx is done.
func (s *Stock) Notify(ctx context.Context, sku string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.items[sku]; !ok {
		s.mu.Unlock()
		return ErrUnknownSKU
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case s.events <- sku:
	}
	s.mu.Unlock()
	return nil
}

// TransferAll moves every listed sku's reservation to quantity.
func (s *Stock) TransferAll(groups [][]string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for _, g := range groups {
		for _, sku := range g {
			it, ok := s.items[sku]
			if !ok {
				return fmt.Errorf("group %v: %w", g, ErrUnknownSKU)
			}
			it.Quantity -= it.Reserved
			it.Reserved = 0
		}
	}
	s.mu.Unlock()
	return nil
}

// ---- negatives ----

// ReserveSafe unlocks on every return path.
func (s *Stock) ReserveSafe(sku string, qty int) error {
	s.mu.Lock()
	it, ok := s.items[sku]
	if !ok {
		s.mu.Unlock()
		return ErrUnknownSKU
	}
	if it.Quantity-it.Reserved < qty {
		s.mu.Unlock()
		return ErrInsufficient
	}
	it.Reserved += qty
	s.mu.Unlock()
	return nil
}

// AdjustDeferred uses defer.
func (s *Stock) AdjustDeferred(sku string, qty int) error {
	s.mu.Lock()
	defer s.mu.Unlock() // ok
	it, ok := s.items[sku]
	if !ok {
		return ErrUnknownSKU
	}
	it.Quantity += qty
	return nil
}

// SetQuantityLogged unlocks from a deferred closure.
func (s *Stock) SetQuantityLogged(sku string, qty int) error {
	s.mu.Lock()
	defer func() {
		s.mu.Unlock() // ok
	}()
	it, ok := s.items[sku]
	if !ok {
		return ErrUnknownSKU
	}
	it.Quantity = qty
	return nil
}

// lock acquires the stock lock for a multi-step caller; unlock releases it.
func (s *Stock) lock() { s.mu.Lock() }

func (s *Stock) unlock() { s.mu.Unlock() }

// BulkSet holds the lock across several updates through the helpers.
func (s *Stock) BulkSet(qty map[string]int) {
	s.lock()
	defer s.unlock()
	for sku, q := range qty {
		if it, ok := s.items[sku]; ok {
			it.Quantity = q
		}
	}
}

// shardLocks guards per-sku updates.
var shardLocks [16]sync.Mutex

func lockSKU(sku string) (unlock func()) {
	m := &shardLocks[len(sku)%len(shardLocks)]
	m.Lock() // ok: returned to the caller on purpose
	return m.Unlock
}

// Bump increments a sku under its shard lock.
func (s *Stock) Bump(sku string) {
	unlock := lockSKU(sku)
	defer unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if it, ok := s.items[sku]; ok {
		it.Quantity++
	}
}

// Classify unlocks in every switch branch.
func (s *Stock) Classify(sku string) string {
	s.mu.Lock()
	it, ok := s.items[sku]
	switch {
	case !ok:
		s.mu.Unlock()
		return "unknown"
	case it.Quantity == 0:
		s.mu.Unlock()
		return "empty"
	default:
		s.mu.Unlock()
		return "stocked"
	}
}

// PriceSafe releases the read lock on both paths.
func (c *Catalog) PriceSafe(sku string) (int, error) {
	c.mu.RLock()
	p, ok := c.prices[sku]
	c.mu.RUnlock()
	if !ok {
		return 0, ErrUnknownSKU
	}
	return p, nil
}

// Bin is a node of a linked list of storage bins.
type Bin struct {
	mu    sync.Mutex
	next  *Bin
	count int
}

// Total walks the bins hand over hand.
func Total(head *Bin) int {
	total := 0
	cur := head
	cur.mu.Lock()
	for cur.next != nil {
		total += cur.count
		next := cur.next
		next.mu.Lock()
		cur.mu.Unlock()
		cur = next
	}
	total += cur.count
	cur.mu.Unlock() // ok: every node locked is unlocked exactly once
	return total
}

// Restock waits on a condition variable until stock is available.
type Restock struct {
	cond  *sync.Cond
	avail int
}

// Take blocks until n units are available.
func (r *Restock) Take(n int) {
	r.cond.L.Lock()
	for r.avail < n {
		r.cond.Wait()
	}
	r.avail -= n
	r.cond.L.Unlock() // ok
}

// FirstLow scans under the lock and breaks out of the loop before unlocking.
func (s *Stock) FirstLow(threshold int) string {
	var found string
	s.mu.Lock()
	for sku, it := range s.items {
		if it.Quantity < threshold {
			found = sku
			break
		}
	}
	s.mu.Unlock() // ok: break leads here
	return found
}

// AppendSafe unlocks before the early return.
func (l *Ledger) AppendSafe(entry string) error {
	l.Lock()
	if len(l.entries) >= l.limit {
		l.Unlock()
		return errors.New("ledger full")
	}
	l.entries = append(l.entries, entry)
	l.Unlock()
	return nil
}
