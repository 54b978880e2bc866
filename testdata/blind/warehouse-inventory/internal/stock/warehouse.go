// Package stock keeps per-warehouse stock positions. Every Warehouse guards
// its level map with its own mutex; the Store maps warehouse IDs to
// warehouses under a read/write mutex.
package stock

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// SKU identifies a stock keeping unit.
type SKU string

// Errors returned by stock operations.
var (
	ErrUnknownSKU   = errors.New("stock: unknown SKU")
	ErrInsufficient = errors.New("stock: insufficient available quantity")
	ErrBadQuantity  = errors.New("stock: quantity must be positive")
)

// Level is the position of one SKU in one warehouse.
type Level struct {
	OnHand   int
	Reserved int
	Reorder  int
}

// Available is the quantity that can still be promised to orders.
func (l Level) Available() int { return l.OnHand - l.Reserved }

// LowHook is called, outside any lock, when a SKU drops to its reorder point.
type LowHook func(warehouse string, sku SKU, lvl Level)

// ReorderLine is one row of a reorder report.
type ReorderLine struct {
	SKU       SKU
	Available int
	Reorder   int
	Shortfall int
}

// Warehouse holds stock levels for a single site.
type Warehouse struct {
	ID string

	mu      sync.Mutex
	levels  map[SKU]*Level
	lowHook LowHook
}

// NewWarehouse returns an empty warehouse.
func NewWarehouse(id string) *Warehouse {
	return &Warehouse{ID: id, levels: make(map[SKU]*Level)}
}

// OnLow installs the low-stock hook.
func (w *Warehouse) OnLow(h LowHook) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lowHook = h
}

// Available returns on-hand minus reserved units of sku.
func (w *Warehouse) Available(sku SKU) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.availableLocked(sku)
}

// availableLocked is Available for callers that already hold w.mu.
func (w *Warehouse) availableLocked(sku SKU) int {
	l, ok := w.levels[sku]
	if !ok {
		return 0
	}
	return l.Available()
}

// Position returns the level of sku and whether the warehouse stocks it.
func (w *Warehouse) Position(sku SKU) (Level, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	l, ok := w.levels[sku]
	if !ok {
		return Level{}, false
	}
	return *l, true
}

// Receive books qty units of sku into stock (goods receipt).
func (w *Warehouse) Receive(sku SKU, qty int) error {
	if qty <= 0 {
		return ErrBadQuantity
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.levels[sku]
	if l == nil {
		l = &Level{}
		w.levels[sku] = l
	}
	l.OnHand += qty
	return nil
}

// SetReorderPoint sets the level at which replenishment kicks in.
func (w *Warehouse) SetReorderPoint(sku SKU, point int) error {
	w.mu.Lock()
	l, ok := w.levels[sku]
	if !ok {
		w.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownSKU, sku)
	}
	l.Reorder = point
	w.mu.Unlock()
	return nil
}

// Reserve sets qty units of sku aside for an order.
func (w *Warehouse) Reserve(sku SKU, qty int) error {
	if qty <= 0 {
		return ErrBadQuantity
	}
	w.mu.Lock() // HAZ lock-leaked-on-return
	l, ok := w.levels[sku]
	if !ok {
		return fmt.Errorf("%w: %s in %s", ErrUnknownSKU, sku, w.ID)
	}
	if l.Available() < qty {
		w.mu.Unlock()
		return fmt.Errorf("%w: want %d of %s, have %d", ErrInsufficient, qty, sku, l.Available())
	}
	l.Reserved += qty
	w.mu.Unlock()
	return nil
}

// Release gives back units that were reserved but will not be picked.
func (w *Warehouse) Release(sku SKU, qty int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if l, ok := w.levels[sku]; ok {
		l.Reserved = max(l.Reserved-qty, 0)
	}
}

// Pick removes reserved units from stock once they have left the shelf.
// It reports whether the SKU is now at or below its reorder point.
func (w *Warehouse) Pick(sku SKU, qty int) (low bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	l, ok := w.levels[sku]
	if !ok {
		return false, fmt.Errorf("%w: %s", ErrUnknownSKU, sku)
	}
	if l.Reserved < qty {
		return false, fmt.Errorf("%w: pick %d of %s but only %d reserved", ErrInsufficient, qty, sku, l.Reserved)
	}
	l.OnHand -= qty
	l.Reserved -= qty
	return w.Available(sku) <= l.Reorder, nil // HAZ lock-reentry-under-defer
}

// Adjust applies a signed cycle-count correction to the on-hand quantity and
// fires the low-stock hook, outside the lock, when the SKU runs low.
func (w *Warehouse) Adjust(sku SKU, delta int) error {
	w.mu.Lock()
	l, ok := w.levels[sku]
	if !ok {
		w.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownSKU, sku)
	}
	if l.OnHand+delta < l.Reserved {
		w.mu.Unlock()
		return fmt.Errorf("stock: adjustment %d would undercut %d reserved units of %s", delta, l.Reserved, sku)
	}
	l.OnHand += delta
	snap, hook := *l, w.lowHook
	w.mu.Unlock()

	if hook != nil && snap.Available() <= snap.Reorder {
		hook(w.ID, sku, snap)
	}
	return nil
}

// Snapshot copies all levels of the warehouse.
func (w *Warehouse) Snapshot() map[SKU]Level {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[SKU]Level, len(w.levels))
	for sku, l := range w.levels {
		out[sku] = *l
	}
	return out
}

// ReorderReport lists SKUs at or below their reorder point, largest shortfall first.
func (w *Warehouse) ReorderReport() []ReorderLine {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.levels) == 0 {
		return nil
	}
	lines := w.belowReorder() // HAZ lock-reentry-under-defer
	sort.Slice(lines, func(i, j int) bool { return lines[i].Shortfall > lines[j].Shortfall })
	return lines
}

// belowReorder collects the SKUs at or below their reorder point.
func (w *Warehouse) belowReorder() []ReorderLine {
	var out []ReorderLine
	for sku, lvl := range w.Snapshot() {
		if avail := lvl.Available(); avail <= lvl.Reorder {
			out = append(out, ReorderLine{SKU: sku, Available: avail, Reorder: lvl.Reorder, Shortfall: lvl.Reorder - avail})
		}
	}
	return out
}

// LowStock returns the SKUs at or below their reorder point, sorted by SKU.
func (w *Warehouse) LowStock() []SKU {
	lines := w.belowReorder()
	out := make([]SKU, 0, len(lines))
	for _, l := range lines {
		out = append(out, l.SKU)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Transfer moves qty units of sku from src to dst. Both warehouses are locked
// in ID order so that concurrent transfers in opposite directions cannot
// deadlock.
func Transfer(src, dst *Warehouse, sku SKU, qty int) error {
	if src == dst {
		return errors.New("stock: transfer to the same warehouse")
	}
	if qty <= 0 {
		return ErrBadQuantity
	}
	first, second := src, dst
	if second.ID < first.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()

	from, ok := src.levels[sku]
	if !ok || from.Available() < qty {
		return fmt.Errorf("%w: transfer %d of %s from %s", ErrInsufficient, qty, sku, src.ID)
	}
	to := dst.levels[sku]
	if to == nil {
		to = &Level{Reorder: from.Reorder}
		dst.levels[sku] = to
	}
	from.OnHand -= qty
	to.OnHand += qty
	return nil
}
