package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// MemDB is the in-memory implementation of DB. Readers run concurrently;
// at most one write transaction is active at a time.
type MemDB struct {
	name string

	mu     sync.RWMutex
	tables map[string]*table
	closed bool

	// writer holds a token while a write transaction is active.
	writer chan struct{}
}

type table struct {
	cols []string
	rows [][]any
}

// Stats is a cheap summary of the database for health checks.
type Stats struct {
	Tables int
	Rows   int
	Closed bool
}

var (
	registryMu sync.Mutex
	registry   = map[string]*MemDB{}
)

// Open returns the database named by dsn ("mem://name"), creating it on
// first use. Like a file-backed database its contents survive Close, and
// Open reopens it.
func Open(dsn string) (*MemDB, error) {
	name, ok := strings.CutPrefix(dsn, "mem://")
	if !ok || name == "" {
		return nil, fmt.Errorf("store: unsupported dsn %q (want mem://name)", dsn)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	db, ok := registry[name]
	if !ok {
		db = &MemDB{name: name, tables: make(map[string]*table), writer: make(chan struct{}, 1)}
		registry[name] = db
	}
	db.reopen()
	return db, nil
}

func (m *MemDB) reopen() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = false
}

func (m *MemDB) isClosed() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.closed
}

// Begin starts a write transaction, waiting for the active one to finish.
func (m *MemDB) Begin(ctx context.Context) (Tx, error) {
	select {
	case m.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if m.isClosed() {
		<-m.writer
		return nil, ErrClosed
	}
	return &memTx{db: m}, nil
}

// Exec runs a single statement in its own transaction.
func (m *MemDB) Exec(ctx context.Context, query string, args ...any) (Result, error) {
	tx, err := m.Begin(ctx)
	if err != nil {
		return nil, err
	}
	res, err := tx.Exec(ctx, query, args...)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return res, tx.Commit()
}

// Query runs a SELECT against the committed state.
func (m *MemDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := parse(query)
	if err != nil {
		return nil, err
	}
	if s.verb != "SELECT" {
		return nil, fmt.Errorf("store: Query called with a statement: %q", query)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	tbl, ok := m.tables[s.table]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoTable, s.table)
	}
	if s.count {
		return &memRows{cols: []string{"count"}, data: [][]any{{int64(len(tbl.rows))}}}, nil
	}
	data := make([][]any, len(tbl.rows))
	for i, row := range tbl.rows {
		data[i] = slices.Clone(row)
	}
	return &memRows{cols: slices.Clone(tbl.cols), data: data}, nil
}

// Close waits for the active write transaction, if any, to finish and then
// closes the database. Like database/sql it does not abort work in flight.
func (m *MemDB) Close() error {
	m.writer <- struct{}{}
	m.mu.Lock()
	already := m.closed
	m.closed = true
	m.mu.Unlock()
	<-m.writer
	if already {
		return ErrClosed
	}
	return nil
}

// columns returns the column list of a committed table.
func (m *MemDB) columns(name string) ([]string, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	tbl, ok := m.tables[name]
	if !ok {
		return nil, false
	}
	return tbl.cols, true
}

// Count returns the number of committed rows in a table.
func (m *MemDB) Count(name string) (int, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	tbl, ok := m.tables[name]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNoTable, name)
	}
	return len(tbl.rows), nil
}

// Tables returns the table names in sorted order.
func (m *MemDB) Tables() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.tableNamesLocked()
}

// tableNamesLocked requires m.mu to be held.
func (m *MemDB) tableNamesLocked() []string {
	names := make([]string, 0, len(m.tables))
	for name := range m.tables {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Describe renders the schema and row counts, for the admin endpoint.
func (m *MemDB) Describe() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var b strings.Builder
	for _, name := range m.tableNamesLocked() {
		n, _ := m.Count(name) // HAZ lock-reentry-under-defer
		fmt.Fprintf(&b, "%s (%s): %d rows\n", name, strings.Join(m.tables[name].cols, ", "), n)
	}
	return b.String()
}

// Stats returns table and row counts.
func (m *MemDB) Stats() Stats {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	st := Stats{Tables: len(m.tables), Closed: m.closed}
	for _, t := range m.tables {
		st.Rows += len(t.rows)
	}
	return st
}

// BulkInsert appends rows to a staging table without a transaction. It
// is used for scratch tables where atomicity does not matter.
func (m *MemDB) BulkInsert(name string, rows [][]any) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cols, ok := m.columns(name) // HAZ lock-reentry-under-defer
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNoTable, name)
	}
	tbl := m.tables[name]
	for i, row := range rows {
		if len(row) != len(cols) {
			return i, fmt.Errorf("store: row %d of %s has %d values for %d columns", i, name, len(row), len(cols))
		}
		tbl.rows = append(tbl.rows, slices.Clone(row))
	}
	return len(rows), nil
}

// Drop removes a table and its rows.
func (m *MemDB) Drop(name string) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if m.closed {
		m.mu.Unlock()
		return ErrClosed
	}
	if _, ok := m.tables[name]; !ok {
		return fmt.Errorf("%w: %s", ErrNoTable, name)
	}
	delete(m.tables, name)
	m.mu.Unlock()
	return nil
}

// applyLocked applies one buffered write; m.mu must be held for writing.
func (m *MemDB) applyLocked(o op) error {
	switch o.s.verb {
	case "CREATE":
		if _, ok := m.tables[o.s.table]; !ok {
			m.tables[o.s.table] = &table{cols: o.s.cols}
		}
	case "INSERT":
		tbl, ok := m.tables[o.s.table]
		if !ok {
			return fmt.Errorf("%w: %s", ErrNoTable, o.s.table)
		}
		tbl.rows = append(tbl.rows, o.args)
	case "DELETE":
		tbl, ok := m.tables[o.s.table]
		if !ok {
			return fmt.Errorf("%w: %s", ErrNoTable, o.s.table)
		}
		tbl.rows = nil
	}
	return nil
}

type op struct {
	s    stmt
	args []any
}

type memTx struct {
	db   *MemDB
	ops  []op
	done bool
}

// columns sees tables created earlier in the same transaction.
func (t *memTx) columns(name string) ([]string, bool) {
	for i := len(t.ops) - 1; i >= 0; i-- {
		if o := t.ops[i]; o.s.verb == "CREATE" && o.s.table == name {
			return o.s.cols, true
		}
	}
	return t.db.columns(name)
}

func (t *memTx) Exec(ctx context.Context, query string, args ...any) (Result, error) {
	if t.done {
		return nil, ErrTxDone
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := parse(query)
	if err != nil {
		return nil, err
	}
	switch s.verb {
	case "SELECT":
		return nil, fmt.Errorf("store: Exec called with a query: %q", query)
	case "INSERT", "DELETE":
		cols, ok := t.columns(s.table)
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrNoTable, s.table)
		}
		if s.verb == "INSERT" && len(args) != len(cols) {
			return nil, fmt.Errorf("store: INSERT INTO %s: %d values for %d columns", s.table, len(args), len(cols))
		}
	}
	t.ops = append(t.ops, op{s: s, args: slices.Clone(args)})
	if s.verb == "INSERT" {
		return result(1), nil
	}
	return result(0), nil
}

// Query reads the committed state; pending writes are not visible.
func (t *memTx) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	if t.done {
		return nil, ErrTxDone
	}
	return t.db.Query(ctx, query, args...)
}

// Commit applies the buffered writes and ends the transaction.
func (t *memTx) Commit() error {
	t.db.mu.Lock() // HAZ lock-leaked-on-return
	if t.done {
		return ErrTxDone
	}
	for _, o := range t.ops {
		if err := t.db.applyLocked(o); err != nil {
			t.done = true
			return fmt.Errorf("store: commit: %w", err)
		}
	}
	t.done = true
	t.db.mu.Unlock()
	<-t.db.writer
	return nil
}

// Rollback discards the buffered writes and ends the transaction.
func (t *memTx) Rollback() error {
	t.db.mu.Lock()
	if t.done {
		t.db.mu.Unlock()
		return ErrTxDone
	}
	t.done = true
	t.ops = nil
	t.db.mu.Unlock()
	<-t.db.writer
	return nil
}
