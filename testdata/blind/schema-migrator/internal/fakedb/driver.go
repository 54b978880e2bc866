// Package fakedb is a tiny in-memory database/sql driver. The migrator's
// commands use it for DSNs of the form "fake:NAME" and the tests use it
// everywhere; it understands just enough SQL for migrations, the history
// table, the lock table and dump/restore.
package fakedb

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
)

// DriverName is the name under which the driver is registered.
const DriverName = "fakedb"

func init() {
	sql.Register(DriverName, Driver{})
}

// Driver opens connections to named in-memory stores. Every DSN names one
// store, shared by all connections that use it.
type Driver struct{}

// Open implements driver.Driver.
func (Driver) Open(dsn string) (driver.Conn, error) {
	if dsn == "" {
		return nil, errors.New("fakedb: empty DSN")
	}
	return &conn{store: storeFor(dsn)}, nil
}

type conn struct {
	store  *Store
	tx     *tx
	closed bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	return &stmt{conn: c, query: query}, nil
}

func (c *conn) Close() error {
	c.closed = true
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	if c.tx != nil {
		return nil, errors.New("fakedb: transaction already open on this connection")
	}
	c.tx = &tx{conn: c, snapshot: c.store.snapshot()}
	return c.tx, nil
}

// tx implements rollback by restoring a snapshot of the whole store. That is
// not isolation, but it is what the migrator's tests need.
type tx struct {
	conn     *conn
	snapshot map[string]*table
}

func (t *tx) Commit() error {
	t.conn.tx = nil
	return nil
}

func (t *tx) Rollback() error {
	t.conn.store.restore(t.snapshot)
	t.conn.tx = nil
	return nil
}

type stmt struct {
	conn  *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	n, err := s.conn.store.Exec(s.query, args)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(n), nil
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	cols, data, err := s.conn.store.Query(s.query, args)
	if err != nil {
		return nil, err
	}
	return &rows{cols: cols, data: data}, nil
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
