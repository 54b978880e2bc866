package fakedb

import (
	"database/sql/driver"
	"io"
)

// Driver implements database/sql/driver.Driver.
type Driver struct{}

// Open returns a connection to the store named by dsn.
func (Driver) Open(dsn string) (driver.Conn, error) {
	storesMu.Lock()
	defer storesMu.Unlock()
	s, ok := stores[dsn]
	if !ok {
		s = &Store{Tables: map[string][]Record{}}
		stores[dsn] = s
	}
	return &conn{store: s}, nil
}

type conn struct {
	store  *Store
	closed bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	return &stmt{c: c, query: query}, nil
}

func (c *conn) Close() error {
	c.closed = true
	return nil
}

// Begin starts a transaction. The fake store does not isolate transactions:
// every statement applies immediately and Rollback is a no-op.
func (c *conn) Begin() (driver.Tx, error) { return noTx{}, nil }

type noTx struct{}

func (noTx) Commit() error   { return nil }
func (noTx) Rollback() error { return nil }

type stmt struct {
	c     *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	res, err := s.c.store.run(s.query, args)
	if err != nil {
		return nil, err
	}
	return execResult{affected: res.Affected, lastID: res.LastID}, nil
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	res, err := s.c.store.run(s.query, args)
	if err != nil {
		return nil, err
	}
	return &rows{cols: res.Columns, data: res.Rows}, nil
}

type execResult struct{ affected, lastID int64 }

func (r execResult) LastInsertId() (int64, error) { return r.lastID, nil }
func (r execResult) RowsAffected() (int64, error) { return r.affected, nil }

type rows struct {
	cols []string
	data [][]driver.Value
	pos  int
}

func (r *rows) Columns() []string { return r.cols }
func (r *rows) Close() error      { return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.data) {
		return io.EOF
	}
	copy(dest, r.data[r.pos])
	r.pos++
	return nil
}
