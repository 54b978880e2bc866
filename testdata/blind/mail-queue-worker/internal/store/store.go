// Package store is an in-memory stand-in for the job database. Its API is
// shaped like database/sql (DB, Tx, Rows, Row, Result) so that the queue code
// reads the same as it would against Postgres, without pulling in a driver.
//
// The fake is single-writer: a transaction, or an autocommit Exec, holds the
// writer slot until it finishes. Close waits for the open transaction.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

var (
	// ErrNoRows is returned by Row.Scan when the query matched nothing.
	ErrNoRows = errors.New("store: no rows in result set")
	// ErrTxDone is returned when a finished transaction is used again.
	ErrTxDone = errors.New("store: transaction has already been committed or rolled back")
	// ErrClosed is returned for operations on a closed database.
	ErrClosed = errors.New("store: database is closed")
)

// Record is one row, keyed by column name.
type Record map[string]any

// TxOptions mirrors sql.TxOptions; the fake ignores the isolation level.
type TxOptions struct {
	ReadOnly bool
}

// DBStats is a point-in-time snapshot of the database counters.
type DBStats struct {
	Queries    int64
	Execs      int64
	OpenTx     int
	Committed  int64
	RolledBack int64
}

// DB is the handle shared by the whole process.
type DB struct {
	mu      sync.Mutex
	tables  map[string][]Record
	closing bool
	stats   DBStats
	writer  chan struct{} // capacity 1: the writer slot
	dsn     string
}

// Open returns a fresh database for a "mem://name" DSN.
func Open(dsn string) (*DB, error) {
	if !strings.HasPrefix(dsn, "mem://") {
		return nil, fmt.Errorf("store: unsupported dsn %q (want mem://...)", dsn)
	}
	return &DB{
		tables: make(map[string][]Record),
		writer: make(chan struct{}, 1),
		dsn:    dsn,
	}, nil
}

// Close marks the database closed, waits for the in-flight transaction to
// commit or roll back, and drops all data.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closing {
		db.mu.Unlock()
		return ErrClosed
	}
	db.closing = true
	db.mu.Unlock()

	db.writer <- struct{}{} // wait for the writer slot
	db.mu.Lock()
	db.tables = nil
	db.mu.Unlock()
	return nil
}

// Stats returns a snapshot of the counters.
func (db *DB) Stats() DBStats {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.stats
}

// Fprint writes the snapshot in a one-line, log-friendly form.
func (s DBStats) Fprint(w io.Writer) {
	fmt.Fprintf(w, "store: queries=%d execs=%d open_tx=%d committed=%d rolled_back=%d\n",
		s.Queries, s.Execs, s.OpenTx, s.Committed, s.RolledBack)
}

func (db *DB) acquireWriter(ctx context.Context) error {
	select {
	case db.writer <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	db.mu.Lock()
	closing := db.closing
	db.mu.Unlock()
	if closing {
		<-db.writer
		return ErrClosed
	}
	return nil
}

// BeginTx starts a transaction, waiting for the writer slot.
func (db *DB) BeginTx(ctx context.Context, opts *TxOptions) (*Tx, error) {
	if err := db.acquireWriter(ctx); err != nil {
		return nil, err
	}
	db.mu.Lock()
	db.stats.OpenTx++
	db.mu.Unlock()
	tx := &Tx{db: db}
	if opts != nil {
		tx.readOnly = opts.ReadOnly
	}
	return tx, nil
}

// ExecContext runs one statement in its own implicit transaction.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (Result, error) {
	st, err := parse(query)
	if err != nil {
		return Result{}, err
	}
	if err := db.acquireWriter(ctx); err != nil {
		return Result{}, err
	}
	res, _, err := db.apply(st, args)
	<-db.writer
	return res, err
}

// QueryContext runs a SELECT and returns its rows.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := parse(query)
	if err != nil {
		return nil, err
	}
	if st.verb != "SELECT" {
		return nil, fmt.Errorf("store: QueryContext needs a SELECT, got %s", st.verb)
	}
	return db.query(st, args)
}

// QueryRowContext is QueryContext for a single expected row.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *Row {
	rows, err := db.QueryContext(ctx, query, args...)
	return &Row{rows: rows, err: err}
}

func (db *DB) query(st *statement, args []any) (*Rows, error) {
	if len(args) != len(st.where) {
		return nil, fmt.Errorf("store: %d args for %d placeholders", len(args), len(st.where))
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.tables == nil {
		return nil, ErrClosed
	}
	db.stats.Queries++
	var matched []Record
	for _, rec := range db.tables[st.table] {
		if st.matches(rec, args) {
			matched = append(matched, rec)
		}
	}
	if st.orderBy != "" {
		sort.SliceStable(matched, func(i, j int) bool {
			return compare(matched[i][st.orderBy], matched[j][st.orderBy]) < 0
		})
	}
	if st.limit > 0 && len(matched) > st.limit {
		matched = matched[:st.limit]
	}
	rows := &Rows{cols: st.cols}
	for _, rec := range matched {
		vals := make([]any, len(st.cols))
		for i, c := range st.cols {
			vals[i] = rec[c]
		}
		rows.data = append(rows.data, vals)
	}
	return rows, nil
}

func (st *statement) matches(rec Record, args []any) bool {
	for i, c := range st.where {
		if !c.match(rec[c.col], args[i]) {
			return false
		}
	}
	return true
}

// apply executes a write statement and returns an undo function for it.
func (db *DB) apply(st *statement, args []any) (Result, func(), error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.tables == nil {
		return Result{}, nil, ErrClosed
	}
	db.stats.Execs++
	before := db.tables[st.table]
	snapshot := make([]Record, len(before))
	for i, rec := range before {
		cp := make(Record, len(rec))
		for k, v := range rec {
			cp[k] = v
		}
		snapshot[i] = cp
	}
	undo := func() {
		db.mu.Lock()
		db.tables[st.table] = snapshot
		db.mu.Unlock()
	}

	switch st.verb {
	case "INSERT":
		if len(args) != len(st.cols) {
			return Result{}, nil, fmt.Errorf("store: INSERT has %d columns and %d args", len(st.cols), len(args))
		}
		rec := make(Record, len(st.cols))
		for i, c := range st.cols {
			rec[c] = args[i]
		}
		db.tables[st.table] = append(db.tables[st.table], rec)
		return Result{affected: 1}, undo, nil
	case "UPDATE":
		if len(args) != len(st.cols)+len(st.where) {
			return Result{}, nil, fmt.Errorf("store: UPDATE arity mismatch")
		}
		set, where := args[:len(st.cols)], args[len(st.cols):]
		var n int64
		for _, rec := range db.tables[st.table] {
			if st.matches(rec, where) {
				for i, c := range st.cols {
					rec[c] = set[i]
				}
				n++
			}
		}
		return Result{affected: n}, undo, nil
	case "DELETE":
		kept := db.tables[st.table][:0:0]
		var n int64
		for _, rec := range db.tables[st.table] {
			if st.matches(rec, args) {
				n++
				continue
			}
			kept = append(kept, rec)
		}
		db.tables[st.table] = kept
		return Result{affected: n}, undo, nil
	}
	return Result{}, nil, fmt.Errorf("store: %s is not a write statement", st.verb)
}
