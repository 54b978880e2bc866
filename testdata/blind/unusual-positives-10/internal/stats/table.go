package stats

import (
	"log"
	"sort"
	"sync"
)

// Table holds the reports of all services; like Counters it embeds its lock.
type Table struct {
	sync.RWMutex
	rows map[string]*ServiceReport
	log  *log.Logger
}

// NewTable returns an empty table.
func NewTable(logger *log.Logger) *Table {
	return &Table{rows: make(map[string]*ServiceReport), log: logger}
}

// logChange logs a membership change together with the table size.
func logChange(t *Table, what, name string) {
	t.RLock()
	n := len(t.rows)
	t.RUnlock()
	t.log.Printf("stats: %s %s (%d services)", what, name, n)
}

// Report returns the report of name, or nil.
func (t *Table) Report(name string) *ServiceReport {
	t.RLock()
	r := t.rows[name]
	t.RUnlock()
	return r
}

// Upsert returns the report of name, creating it if needed.
func (t *Table) Upsert(name string) *ServiceReport {
	t.Lock()
	defer t.Unlock()
	r, ok := t.rows[name]
	if !ok {
		r = &ServiceReport{Name: name}
		t.rows[name] = r
		logChange(t, "added", name) // HAZ lock-reentry-under-defer
	}
	return r
}

// Remove drops the report of name; the change is logged after the lock is
// released.
func (t *Table) Remove(name string) {
	t.Lock()
	_, ok := t.rows[name]
	delete(t.rows, name)
	t.Unlock()
	if ok {
		logChange(t, "removed", name)
	}
}

// Names returns the sorted service names.
func (t *Table) Names() []string {
	t.RLock()
	defer t.RUnlock()
	names := make([]string, 0, len(t.rows))
	for n := range t.rows {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Totals sums the counters of all services. Each report's own lock is taken
// while the table is read-locked; they are different mutexes.
func (t *Table) Totals() map[string]int64 {
	t.RLock()
	defer t.RUnlock()
	var out Counters
	for _, r := range t.rows {
		for k, v := range r.Snapshot() {
			out.addLocked(k, v)
		}
	}
	return out.m
}
