package fakedb

import (
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"
	"sync"
)

type table struct {
	cols []string
	rows [][]driver.Value
}

func (t *table) clone() *table {
	c := &table{cols: append([]string(nil), t.cols...), rows: make([][]driver.Value, len(t.rows))}
	for i, r := range t.rows {
		c.rows[i] = append([]driver.Value(nil), r...)
	}
	return c
}

func (t *table) index(col string) (int, error) {
	for i, c := range t.cols {
		if strings.EqualFold(c, col) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("fakedb: no column %q", col)
}

func (t *table) indexes(cols []string) ([]int, error) {
	out := make([]int, len(cols))
	for i, c := range cols {
		j, err := t.index(c)
		if err != nil {
			return nil, err
		}
		out[i] = j
	}
	return out, nil
}

func (t *table) insert(cols []string, args []driver.Value) error {
	if len(cols) == 0 {
		cols = t.cols
	}
	if len(cols) != len(args) {
		return fmt.Errorf("fakedb: %d columns but %d values", len(cols), len(args))
	}
	idx, err := t.indexes(cols)
	if err != nil {
		return err
	}
	row := make([]driver.Value, len(t.cols))
	for i, j := range idx {
		row[j] = args[i]
	}
	t.rows = append(t.rows, row)
	return nil
}

func (t *table) match(row []driver.Value, where []int, args []driver.Value) bool {
	for i, j := range where {
		if i >= len(args) || !equal(row[j], args[i]) {
			return false
		}
	}
	return true
}

func (t *table) remove(where []string, args []driver.Value) (int64, error) {
	idx, err := t.indexes(where)
	if err != nil {
		return 0, err
	}
	kept := t.rows[:0]
	var n int64
	for _, r := range t.rows {
		if t.match(r, idx, args) {
			n++
			continue
		}
		kept = append(kept, r)
	}
	t.rows = kept
	return n, nil
}

func (t *table) update(set, where []string, args []driver.Value) (int64, error) {
	if len(args) < len(set) {
		return 0, fmt.Errorf("fakedb: %d assignments but %d values", len(set), len(args))
	}
	setIdx, err := t.indexes(set)
	if err != nil {
		return 0, err
	}
	whereIdx, err := t.indexes(where)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, r := range t.rows {
		if !t.match(r, whereIdx, args[len(set):]) {
			continue
		}
		for i, j := range setIdx {
			r[j] = args[i]
		}
		n++
	}
	return n, nil
}

func (t *table) project(cols, where []string, args []driver.Value) ([]string, [][]driver.Value, error) {
	if len(cols) == 0 {
		cols = t.cols
	}
	colIdx, err := t.indexes(cols)
	if err != nil {
		return nil, nil, err
	}
	whereIdx, err := t.indexes(where)
	if err != nil {
		return nil, nil, err
	}
	var out [][]driver.Value
	for _, r := range t.rows {
		if !t.match(r, whereIdx, args) {
			continue
		}
		row := make([]driver.Value, len(colIdx))
		for i, j := range colIdx {
			row[i] = r[j]
		}
		out = append(out, row)
	}
	return append([]string(nil), cols...), out, nil
}

func equal(a, b driver.Value) bool {
	if ab, ok := a.([]byte); ok {
		a = string(ab)
	}
	if bb, ok := b.([]byte); ok {
		b = string(bb)
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// Store is one named in-memory database.
type Store struct {
	mu     sync.Mutex
	tables map[string]*table
	log    []string
}

var registry = struct {
	sync.Mutex
	stores map[string]*Store
}{stores: map[string]*Store{}}

func storeFor(dsn string) *Store {
	registry.Lock()
	defer registry.Unlock()
	s, ok := registry.stores[dsn]
	if !ok {
		s = &Store{tables: map[string]*table{}}
		registry.stores[dsn] = s
	}
	return s
}

// Lookup returns the store behind a DSN, creating it if needed; tests use it
// to look at what the migrator did.
func Lookup(dsn string) *Store { return storeFor(dsn) }

// Reset forgets the store behind a DSN.
func Reset(dsn string) {
	registry.Lock()
	delete(registry.stores, dsn)
	registry.Unlock()
}

// Statements returns every statement the store has seen, oldest first.
func (s *Store) Statements() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Tables returns the names of the tables, sorted.
func (s *Store) Tables() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.tables))
	for name := range s.tables {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (s *Store) snapshot() map[string]*table {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := make(map[string]*table, len(s.tables))
	for name, t := range s.tables {
		snap[name] = t.clone()
	}
	return snap
}

func (s *Store) restore(snap map[string]*table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables = snap
}

func (s *Store) lookup(name string) (*table, error) {
	t, ok := s.tables[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("fakedb: no such table %q", name)
	}
	return t, nil
}

// Exec runs a statement that returns no rows.
func (s *Store) Exec(query string, args []driver.Value) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, query)
	q := parse(query)
	switch q.verb {
	case "CREATE TABLE":
		if _, ok := s.tables[q.table]; !ok {
			s.tables[q.table] = &table{cols: q.cols}
		}
		return 0, nil
	case "DROP TABLE":
		delete(s.tables, q.table)
		return 0, nil
	case "ALTER TABLE":
		t, err := s.lookup(q.table)
		if err != nil {
			return 0, err
		}
		return 0, t.alter(q.cols)
	case "INSERT":
		t, err := s.lookup(q.table)
		if err != nil {
			return 0, err
		}
		return 1, t.insert(q.cols, args)
	case "DELETE":
		t, err := s.lookup(q.table)
		if err != nil {
			return 0, err
		}
		return t.remove(q.where, args)
	case "UPDATE":
		t, err := s.lookup(q.table)
		if err != nil {
			return 0, err
		}
		return t.update(q.set, q.where, args)
	default:
		// SET, CREATE INDEX, DROP INDEX and friends are accepted and ignored.
		return 0, nil
	}
}

// Query runs a SELECT.
func (s *Store) Query(query string, args []driver.Value) ([]string, [][]driver.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, query)
	q := parse(query)
	if q.verb != "SELECT" {
		return nil, nil, fmt.Errorf("fakedb: not a query: %q", query)
	}
	t, err := s.lookup(q.table)
	if err != nil {
		return nil, nil, err
	}
	return t.project(q.cols, q.where, args)
}

// alter applies "ADD COLUMN name" or "DROP COLUMN name".
func (t *table) alter(action []string) error {
	if len(action) != 2 {
		return fmt.Errorf("fakedb: unsupported ALTER TABLE %v", action)
	}
	switch action[0] {
	case "ADD":
		t.cols = append(t.cols, action[1])
		for i := range t.rows {
			t.rows[i] = append(t.rows[i], nil)
		}
		return nil
	case "DROP":
		j, err := t.index(action[1])
		if err != nil {
			return err
		}
		t.cols = append(t.cols[:j], t.cols[j+1:]...)
		for i, r := range t.rows {
			t.rows[i] = append(r[:j], r[j+1:]...)
		}
		return nil
	}
	return fmt.Errorf("fakedb: unsupported ALTER TABLE %s", action[0])
}
