package aggregate

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// ErrFrozen is returned when observing into a frozen table.
var ErrFrozen = errors.New("aggregate: table is frozen")

// Table maps keys to running summaries. It is safe for concurrent use.
type Table struct {
	mu     sync.RWMutex
	rows   map[string]*Stat
	frozen bool
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{rows: make(map[string]*Stat)} }

// Observe adds x under key.
func (t *Table) Observe(key string, x float64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.frozen {
		return ErrFrozen
	}
	t.statLocked(key).Add(x)
	return nil
}

// statLocked returns the summary for key, creating it. t.mu must be held.
func (t *Table) statLocked(key string) *Stat {
	s, ok := t.rows[key]
	if !ok {
		s = &Stat{}
		t.rows[key] = s
	}
	return s
}

// ObserveBatch adds every x of xs under key with a single lock acquisition.
func (t *Table) ObserveBatch(key string, xs []float64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.frozen {
		return ErrFrozen
	}
	s := t.statLocked(key)
	for _, x := range xs {
		s.Add(x)
	}
	return nil
}

// ObserveAll adds every sample set under its key.
func (t *Table) ObserveAll(samples map[string][]float64) {
	for key, xs := range samples {
		t.mu.Lock()
		defer t.mu.Unlock() // HAZ defer-in-loop
		s := t.statLocked(key)
		for _, x := range xs {
			s.Add(x)
		}
	}
}

// ObserveEach adds every sample set under its key, locking once per key.
func (t *Table) ObserveEach(samples map[string][]float64) error {
	for key, xs := range samples {
		if err := t.ObserveBatch(key, xs); err != nil {
			return fmt.Errorf("key %q: %w", key, err)
		}
	}
	return nil
}

// Get returns a copy of the summary for key.
func (t *Table) Get(key string) (Stat, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s, ok := t.rows[key]
	if !ok {
		return Stat{}, false
	}
	return *s, true
}

// Mean returns the running mean for key.
func (t *Table) Mean(key string) (float64, bool) {
	t.mu.RLock()
	defer t.mu.Unlock() // HAZ defer-lock-mismatch
	s, ok := t.rows[key]
	if !ok {
		return 0, false
	}
	return s.Mean, true
}

// Len returns the number of keys.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

// Keys returns the keys in sorted order.
func (t *Table) Keys() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	keys := make([]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Freeze rejects further observations.
func (t *Table) Freeze() {
	t.mu.Lock()
	t.frozen = true
	t.mu.Unlock()
}

// Snapshot returns a copy of every summary.
func (t *Table) Snapshot() map[string]Stat {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make(map[string]Stat, len(t.rows))
	for k, s := range t.rows {
		out[k] = *s
	}
	return out
}

// MergeFrom folds every summary of o into t. o is snapshotted first so the two tables
// are never locked at the same time.
func (t *Table) MergeFrom(o *Table) error {
	snap := o.Snapshot()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.frozen {
		return ErrFrozen
	}
	for k, s := range snap {
		t.statLocked(k).Merge(s)
	}
	return nil
}

// Rename moves the summary of old to new.
func (t *Table) Rename(old, new string) error {
	t.mu.Lock() // HAZ lock-leaked-on-return
	s, ok := t.rows[old]
	if !ok {
		return fmt.Errorf("aggregate: no key %q", old)
	}
	if _, dup := t.rows[new]; dup {
		t.mu.Unlock()
		return fmt.Errorf("aggregate: key %q exists", new)
	}
	delete(t.rows, old)
	t.rows[new] = s
	t.mu.Unlock()
	return nil
}

// Delete removes key and reports whether it was present.
func (t *Table) Delete(key string) bool {
	t.mu.Lock()
	if _, ok := t.rows[key]; !ok {
		t.mu.Unlock()
		return false
	}
	delete(t.rows, key)
	t.mu.Unlock()
	return true
}

// Summary renders the table as text.
func (t *Table) Summary() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d keys\n", t.Len()) // HAZ lock-reentry-under-defer
	for k, s := range t.rows {
		fmt.Fprintf(&b, "%s\tn=%d\tmean=%.6g\n", k, s.N, s.Mean)
	}
	return b.String()
}

// WriteTo renders the table sorted by key; it takes the lock once through Snapshot.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	snap := t.Snapshot()
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var total int64
	for _, k := range keys {
		s := snap[k]
		n, err := fmt.Fprintf(w, "%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\n", k, s.N, s.Mean, s.Std(), s.Min, s.Max)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
