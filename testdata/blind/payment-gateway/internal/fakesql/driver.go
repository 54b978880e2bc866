// Package fakesql is a tiny in-memory database/sql driver used by the
// ledger in development and tests. It understands just enough SQL for the
// gateway: INSERT INTO t (cols) VALUES (?...), SELECT cols FROM t [WHERE c = ?]
// and DELETE FROM t WHERE c = ?.
package fakesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// DriverName is the name the driver is registered under.
const DriverName = "fakeledger"

func init() {
	sql.Register(DriverName, &Driver{dbs: make(map[string]*database)})
}

// Driver hands out connections to named in-memory databases.
type Driver struct {
	mu  sync.Mutex
	dbs map[string]*database
}

type row map[string]driver.Value

type database struct {
	mu     sync.Mutex
	tables map[string][]row
}

// Open implements driver.Driver. Every DSN names its own database.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	db, ok := d.dbs[dsn]
	if !ok {
		db = &database{tables: make(map[string][]row)}
		d.dbs[dsn] = db
	}
	return &conn{db: db}, nil
}

func (db *database) insert(table string, r row) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.appendLocked(table, r)
}

func (db *database) appendLocked(table string, r row) {
	db.tables[table] = append(db.tables[table], r)
}

func (db *database) selectRows(table, where string, args []driver.Value) []row {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []row
	for _, r := range db.tables[table] {
		if where == "" || r[where] == args[0] {
			out = append(out, r)
		}
	}
	return out
}

func (db *database) deleteRows(table, where string, args []driver.Value) int64 {
	db.mu.Lock()
	defer db.mu.Unlock()
	kept := db.tables[table][:0]
	var n int64
	for _, r := range db.tables[table] {
		if where != "" && r[where] == args[0] {
			n++
			continue
		}
		kept = append(kept, r)
	}
	db.tables[table] = kept
	return n
}

type conn struct {
	db *database
	tx *tx
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	st, err := parse(query)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, st: st}, nil
}

func (c *conn) Close() error { return nil }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *conn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.tx != nil {
		return nil, errors.New("fakesql: transaction already in progress")
	}
	c.tx = &tx{c: c}
	return c.tx, nil
}

type pendingInsert struct {
	table string
	r     row
}

type tx struct {
	c       *conn
	pending []pendingInsert
}

// Commit applies buffered inserts atomically. It appends under the database
// lock through appendLocked rather than insert, which would lock again.
func (t *tx) Commit() error {
	if t.c.tx != t {
		return sql.ErrTxDone
	}
	t.c.db.mu.Lock()
	defer t.c.db.mu.Unlock()
	for _, p := range t.pending {
		t.c.db.appendLocked(p.table, p.r)
	}
	t.c.tx = nil
	return nil
}

func (t *tx) Rollback() error {
	if t.c.tx != t {
		return sql.ErrTxDone
	}
	t.pending = nil
	t.c.tx = nil
	return nil
}

type statement struct {
	kind    string
	table   string
	columns []string
	where   string
}

func splitList(s string) []string {
	parts := strings.Split(s, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseWhere(rest string) (table, where string) {
	upper := strings.ToUpper(rest)
	i := strings.Index(upper, " WHERE ")
	if i < 0 {
		return strings.TrimSpace(rest), ""
	}
	cond := rest[i+len(" WHERE "):]
	if eq := strings.Index(cond, "="); eq >= 0 {
		where = strings.TrimSpace(cond[:eq])
	}
	return strings.TrimSpace(rest[:i]), where
}

func parse(query string) (*statement, error) {
	q := strings.Join(strings.Fields(query), " ")
	upper := strings.ToUpper(q)
	switch {
	case strings.HasPrefix(upper, "INSERT INTO "):
		rest := q[len("INSERT INTO "):]
		lp, rp := strings.Index(rest, "("), strings.Index(rest, ")")
		if lp < 0 || rp < lp {
			return nil, fmt.Errorf("fakesql: malformed insert %q", query)
		}
		return &statement{kind: "insert", table: strings.TrimSpace(rest[:lp]), columns: splitList(rest[lp+1 : rp])}, nil
	case strings.HasPrefix(upper, "SELECT "):
		from := strings.Index(upper, " FROM ")
		if from < 0 {
			return nil, fmt.Errorf("fakesql: select without FROM: %q", query)
		}
		table, where := parseWhere(q[from+len(" FROM "):])
		return &statement{kind: "select", table: table, where: where, columns: splitList(q[len("SELECT "):from])}, nil
	case strings.HasPrefix(upper, "DELETE FROM "):
		table, where := parseWhere(q[len("DELETE FROM "):])
		return &statement{kind: "delete", table: table, where: where}, nil
	}
	return nil, fmt.Errorf("fakesql: unsupported statement %q", query)
}

type stmt struct {
	c  *conn
	st *statement
}

func (s *stmt) Close() error { return nil }

func (s *stmt) NumInput() int {
	if s.st.kind == "insert" {
		return len(s.st.columns)
	}
	if s.st.where != "" {
		return 1
	}
	return 0
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	switch s.st.kind {
	case "insert":
		r := make(row, len(args))
		for i, col := range s.st.columns {
			r[col] = args[i]
		}
		if s.c.tx != nil {
			s.c.tx.pending = append(s.c.tx.pending, pendingInsert{table: s.st.table, r: r})
			return driver.RowsAffected(1), nil
		}
		s.c.db.insert(s.st.table, r)
		return driver.RowsAffected(1), nil
	case "delete":
		return driver.RowsAffected(s.c.db.deleteRows(s.st.table, s.st.where, args)), nil
	}
	return nil, fmt.Errorf("fakesql: cannot Exec a %s statement", s.st.kind)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	if s.st.kind != "select" {
		return nil, fmt.Errorf("fakesql: cannot Query a %s statement", s.st.kind)
	}
	matched := s.c.db.selectRows(s.st.table, s.st.where, args)
	data := make([][]driver.Value, 0, len(matched))
	for _, r := range matched {
		vals := make([]driver.Value, len(s.st.columns))
		for i, col := range s.st.columns {
			vals[i] = r[col]
		}
		data = append(data, vals)
	}
	return &rows{cols: s.st.columns, data: data}, nil
}

type rows struct {
	cols []string
	data [][]driver.Value
	pos  int
}

func (r *rows) Columns() []string { return r.cols }

func (r *rows) Close() error {
	r.pos = len(r.data)
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.data) {
		return io.EOF
	}
	copy(dest, r.data[r.pos])
	r.pos++
	return nil
}
