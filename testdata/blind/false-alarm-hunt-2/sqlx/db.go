// Package sqlx is a thin convenience layer over database/sql.
package sqlx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"
)

// Hook observes every statement.
type Hook interface {
	Before(ctx context.Context, query string) context.Context
	After(ctx context.Context, query string, err error, took time.Duration)
}

// DB wraps *sql.DB with a statement cache and hooks.
type DB struct {
	db     *sql.DB
	logger *log.Logger

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	hookMu sync.RWMutex
	hooks  []Hook
}

// ErrNoRows is returned by Get when nothing matched.
var ErrNoRows = sql.ErrNoRows

// Open opens and pings a database.
func Open(ctx context.Context, driver, dsn string, logger *log.Logger) (*DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlx: open: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlx: ping: %w", err), db.Close())
	}
	return &DB{db: db, logger: logger, stmts: map[string]*sql.Stmt{}}, nil
}

// Wrap adopts an existing *sql.DB.
func Wrap(db *sql.DB, logger *log.Logger) *DB {
	return &DB{db: db, logger: logger, stmts: map[string]*sql.Stmt{}}
}

// Close closes cached statements and the pool.
func (d *DB) Close() error {
	d.stmtMu.Lock()
	defer d.stmtMu.Unlock()
	var errs []error
	for q, st := range d.stmts {
		errs = append(errs, st.Close())
		delete(d.stmts, q)
	}
	errs = append(errs, d.db.Close())
	return errors.Join(errs...)
}

// AddHook registers a hook.
func (d *DB) AddHook(h Hook) {
	d.hookMu.Lock()
	defer d.hookMu.Unlock()
	d.hooks = append(d.hooks, h)
}

func (d *DB) currentHooks() []Hook {
	d.hookMu.RLock()
	defer d.hookMu.RUnlock()
	return append([]Hook(nil), d.hooks...)
}

// observe runs the Before hooks and returns the function that runs the After hooks.
func (d *DB) observe(ctx context.Context, query string) (context.Context, func(error)) {
	hooks := d.currentHooks()
	for _, h := range hooks {
		ctx = h.Before(ctx, query)
	}
	start := time.Now()
	return ctx, func(err error) {
		took := time.Since(start)
		for i := len(hooks) - 1; i >= 0; i-- {
			hooks[i].After(ctx, query, err, took)
		}
	}
}

func (d *DB) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	d.stmtMu.Lock()
	defer d.stmtMu.Unlock()
	if st, ok := d.stmts[query]; ok {
		return st, nil
	}
	st, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	d.stmts[query] = st
	return st, nil
}

// Exec runs a statement through the hooks.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	ctx, done := d.observe(ctx, query)
	defer func() { done(err) }() // ok: err is read when the closure runs
	st, err := d.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// Query returns all rows as maps.
func (d *DB) Query(ctx context.Context, query string, args ...any) (out []map[string]any, err error) {
	ctx, done := d.observe(ctx, query)
	defer func() { done(err) }()
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: after the error check
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Get scans a single row into dest.
func (d *DB) Get(ctx context.Context, query string, args []any, dest ...any) error {
	row := d.db.QueryRowContext(ctx, query, args...)
	return row.Scan(dest...)
}

// CountRows counts the rows of each table.
func (d *DB) CountRows(ctx context.Context, table string) (int64, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(table))
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// ScanTables reads the first column of each table.
func (d *DB) ScanTables(ctx context.Context, tables []string, fn func(table string, v any) error) error {
	for _, t := range tables {
		rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+quoteIdent(t))
		if err != nil {
			return err
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			var v any
			if err := rows.Scan(&v); err != nil {
				return err
			}
			if err := fn(t, v); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ScanTablesEach is the per-iteration version of ScanTables.
func (d *DB) ScanTablesEach(ctx context.Context, tables []string, fn func(table string, v any) error) error {
	for _, t := range tables {
		err := func() error {
			rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+quoteIdent(t))
			if err != nil {
				return err
			}
			defer rows.Close() // ok: closes at the end of each iteration's closure
			for rows.Next() {
				var v any
				if err := rows.Scan(&v); err != nil {
					return err
				}
				if err := fn(t, v); err != nil {
					return err
				}
			}
			return rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("scan %s: %w", t, err)
		}
	}
	return nil
}

// TableNames lists tables of the current schema.
func (d *DB) TableNames(ctx context.Context) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Conn runs fn on a dedicated connection.
func (d *DB) Conn(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() // ok: returns the connection to the pool
	return fn(conn)
}

// Stats logs pool statistics.
func (d *DB) Stats() sql.DBStats {
	st := d.db.Stats()
	d.logger.Printf("sqlx: open=%d inuse=%d idle=%d", st.OpenConnections, st.InUse, st.Idle)
	return st
}
