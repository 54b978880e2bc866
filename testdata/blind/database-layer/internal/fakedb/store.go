package fakedb

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
)

type table struct {
	cols   []string
	rows   [][]driver.Value
	nextID int64
}

func (t *table) clone() *table {
	c := &table{
		cols:   append([]string(nil), t.cols...),
		rows:   make([][]driver.Value, len(t.rows)),
		nextID: t.nextID,
	}
	for i, r := range t.rows {
		c.rows[i] = append([]driver.Value(nil), r...)
	}
	return c
}

func (t *table) colIndex(name string) int {
	for i, c := range t.cols {
		if strings.EqualFold(c, name) {
			return i
		}
	}
	return -1
}

// store is one named in-memory database shared by every connection that was
// opened with the same DSN.
type store struct {
	mu     sync.RWMutex
	tables map[string]*table
	down   bool
}

func newStore() *store {
	return &store{tables: make(map[string]*table)}
}

func cloneTables(src map[string]*table) map[string]*table {
	dst := make(map[string]*table, len(src))
	for name, t := range src {
		dst[name] = t.clone()
	}
	return dst
}

func (s *store) isDown() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.down
}

func (s *store) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *store) snapshot() map[string]*table {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return cloneTables(s.tables)
}

func (s *store) restore(snap map[string]*table) {
	tables := cloneTables(snap)
	s.mu.Lock()
	s.tables = tables
	s.mu.Unlock()
}

// lookupLocked must be called with s.mu held (read or write).
func (s *store) lookupLocked(name string) (*table, error) {
	t, ok := s.tables[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("fakedb: no such table: %s", name)
	}
	return t, nil
}

func (s *store) exec(p parsed, args []driver.Value) (driver.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p.kind {
	case kindCreate:
		if _, ok := s.tables[p.table]; !ok {
			s.tables[p.table] = &table{cols: p.cols}
		}
		return result{}, nil
	case kindDrop:
		delete(s.tables, strings.ToLower(p.table))
		return result{}, nil
	case kindInsert:
		return s.insertLocked(p, args)
	case kindUpdate:
		return s.updateLocked(p, args)
	case kindDelete:
		return s.deleteLocked(p, args)
	case kindSelect, kindNoop:
		return result{}, nil
	}
	return nil, fmt.Errorf("fakedb: cannot exec statement of kind %d", p.kind)
}

func (s *store) insertLocked(p parsed, args []driver.Value) (driver.Result, error) {
	t, err := s.lookupLocked(p.table)
	if err != nil {
		return nil, err
	}
	cols := p.cols
	if len(cols) == 0 {
		cols = t.cols
	}
	if len(args) == 0 || len(args)%len(cols) != 0 {
		return nil, fmt.Errorf("fakedb: %d values for %d columns", len(args), len(cols))
	}
	idx := make([]int, len(cols))
	for j, c := range cols {
		if idx[j] = t.colIndex(c); idx[j] < 0 {
			return nil, fmt.Errorf("fakedb: no column %s in %s", c, p.table)
		}
	}
	idCol := t.colIndex("id")
	var res result
	for start := 0; start < len(args); start += len(cols) {
		row := make([]driver.Value, len(t.cols))
		t.nextID++
		if idCol >= 0 {
			row[idCol] = t.nextID
		}
		for j, i := range idx {
			row[i] = args[start+j]
		}
		res.lastID = t.nextID
		if idCol >= 0 {
			if id, ok := row[idCol].(int64); ok {
				res.lastID = id
			}
		}
		t.rows = append(t.rows, row)
		res.affected++
	}
	return res, nil
}

func (s *store) updateLocked(p parsed, args []driver.Value) (driver.Result, error) {
	t, err := s.lookupLocked(p.table)
	if err != nil {
		return nil, err
	}
	if len(args) < len(p.cols) {
		return nil, fmt.Errorf("fakedb: %d values for %d SET columns", len(args), len(p.cols))
	}
	idx := make([]int, len(p.cols))
	for k, c := range p.cols {
		if idx[k] = t.colIndex(c); idx[k] < 0 {
			return nil, fmt.Errorf("fakedb: no column %s in %s", c, p.table)
		}
	}
	match, err := whereFilter(t, p.where, args[len(p.cols):])
	if err != nil {
		return nil, err
	}
	var n int64
	for _, row := range t.rows {
		if !match(row) {
			continue
		}
		for k, i := range idx {
			row[i] = args[k]
		}
		n++
	}
	return result{affected: n}, nil
}

func (s *store) deleteLocked(p parsed, args []driver.Value) (driver.Result, error) {
	t, err := s.lookupLocked(p.table)
	if err != nil {
		return nil, err
	}
	match, err := whereFilter(t, p.where, args)
	if err != nil {
		return nil, err
	}
	kept := t.rows[:0]
	var n int64
	for _, row := range t.rows {
		if match(row) {
			n++
			continue
		}
		kept = append(kept, row)
	}
	t.rows = kept
	return result{affected: n}, nil
}

// whereFilter builds the row predicate of "WHERE col = ?" with its argument
// being the first of rest. An empty column matches every row.
func whereFilter(t *table, col string, rest []driver.Value) (func([]driver.Value) bool, error) {
	if col == "" {
		return func([]driver.Value) bool { return true }, nil
	}
	i := t.colIndex(col)
	if i < 0 {
		return nil, fmt.Errorf("fakedb: no column %s", col)
	}
	if len(rest) == 0 {
		return nil, fmt.Errorf("fakedb: missing argument for WHERE %s", col)
	}
	want := rest[0]
	return func(row []driver.Value) bool { return equalValues(row[i], want) }, nil
}

func equalValues(a, b driver.Value) bool {
	if ab, ok := a.([]byte); ok {
		a = string(ab)
	}
	if bb, ok := b.([]byte); ok {
		b = string(bb)
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func (s *store) query(p parsed, args []driver.Value) (driver.Rows, error) {
	if p.kind != kindSelect {
		return nil, fmt.Errorf("fakedb: statement is not a query")
	}
	if p.table == "" {
		return &rows{cols: []string{"?column?"}, data: [][]driver.Value{{int64(1)}}}, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, err := s.lookupLocked(p.table)
	if err != nil {
		return nil, err
	}
	match, err := whereFilter(t, p.where, args)
	if err != nil {
		return nil, err
	}
	var hits [][]driver.Value
	for _, row := range t.rows {
		if match(row) {
			hits = append(hits, row)
		}
	}
	if p.count {
		return &rows{cols: []string{"count"}, data: [][]driver.Value{{int64(len(hits))}}}, nil
	}
	return project(t, p, hits)
}

func project(t *table, p parsed, hits [][]driver.Value) (driver.Rows, error) {
	names := p.cols
	if len(names) == 0 {
		names = t.cols
	}
	idx := make([]int, len(names))
	for k, c := range names {
		if idx[k] = t.colIndex(c); idx[k] < 0 {
			return nil, fmt.Errorf("fakedb: no column %s in %s", c, t.cols)
		}
	}
	if p.limit > 0 && len(hits) > p.limit {
		hits = hits[:p.limit]
	}
	out := make([][]driver.Value, len(hits))
	for r, row := range hits {
		out[r] = make([]driver.Value, len(idx))
		for k, i := range idx {
			out[r][k] = row[i]
		}
	}
	return &rows{cols: append([]string(nil), names...), data: out}, nil
}
