package stock

import (
	"fmt"
	"sort"
	"sync"
)

// Store maps warehouse IDs to warehouses.
type Store struct {
	mu         sync.RWMutex
	warehouses map[string]*Warehouse
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{warehouses: make(map[string]*Warehouse)}
}

// Add registers w; IDs must be unique.
func (s *Store) Add(w *Warehouse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.warehouses[w.ID]; dup {
		return fmt.Errorf("stock: warehouse %s already registered", w.ID)
	}
	s.warehouses[w.ID] = w
	return nil
}

// Ensure returns the warehouse with id, creating it on first use. The fast
// path only takes the read lock.
func (s *Store) Ensure(id string) *Warehouse {
	s.mu.RLock()
	w, ok := s.warehouses[id]
	s.mu.RUnlock()
	if ok {
		return w
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.warehouses[id]; ok {
		return w
	}
	w = NewWarehouse(id)
	s.warehouses[id] = w
	return w
}

// Warehouse looks up a warehouse by ID.
func (s *Store) Warehouse(id string) (*Warehouse, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	w, ok := s.warehouses[id]
	return w, ok
}

// IDs returns the registered warehouse IDs in sorted order.
func (s *Store) IDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]string, 0, len(s.warehouses))
	for id := range s.warehouses {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Len returns the number of registered warehouses.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return len(s.warehouses)
}

// TotalAvailable sums the available quantity of sku over all warehouses.
func (s *Store) TotalAvailable(sku SKU) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	total := 0
	for _, id := range s.IDs() { // HAZ lock-reentry-under-defer
		total += s.warehouses[id].Available(sku)
	}
	return total
}

// list returns the warehouses sorted by ID, copied out of the map.
func (s *Store) list() []*Warehouse {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Warehouse, 0, len(s.warehouses))
	for _, w := range s.warehouses {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Availability returns the available quantity of sku per warehouse. The store
// lock is released before any warehouse lock is taken.
func (s *Store) Availability(sku SKU) map[string]int {
	s.mu.RLock()
	ws := make([]*Warehouse, 0, len(s.warehouses))
	for _, w := range s.warehouses {
		ws = append(ws, w)
	}
	s.mu.RUnlock()

	out := make(map[string]int, len(ws))
	for _, w := range ws {
		out[w.ID] = w.Available(sku)
	}
	return out
}

// CycleCountSnapshot freezes the on-hand quantities of every warehouse for a
// cycle count.
func (s *Store) CycleCountSnapshot() map[string]map[SKU]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]map[SKU]int, len(s.warehouses))
	for id, w := range s.warehouses {
		w.mu.Lock()
		defer w.mu.Unlock() // HAZ defer-in-loop
		counts := make(map[SKU]int, len(w.levels))
		for sku, l := range w.levels {
			counts[sku] = l.OnHand
		}
		out[id] = counts
	}
	return out
}

// OnHandBySite returns the on-hand quantity of sku in every warehouse that
// stocks it. Each warehouse is locked only for its own iteration.
func (s *Store) OnHandBySite(sku SKU) map[string]int {
	out := make(map[string]int)
	for _, w := range s.list() {
		func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			if l, ok := w.levels[sku]; ok {
				out[w.ID] = l.OnHand
			}
		}()
	}
	return out
}
