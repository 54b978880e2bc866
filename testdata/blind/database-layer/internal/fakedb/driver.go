// Package fakedb registers a tiny in-memory database/sql driver named
// "fakedb". It understands just enough SQL for the data-access layer, its
// tests and its command-line tools: CREATE TABLE, INSERT (also multi-row),
// SELECT with one "WHERE col = ?" and LIMIT, UPDATE, DELETE, savepoints, and
// advisory-lock style "SELECT fn(?)" calls, which return a single 1.
//
// Every DSN names its own database; connections with the same DSN share it.
package fakedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"sync"
)

// DriverName is the name under which the driver is registered.
const DriverName = "fakedb"

// ErrDown is returned when opening a connection to a database that was
// marked unreachable with SetDown.
var ErrDown = errors.New("fakedb: database is down")

var errReadOnly = errors.New("fakedb: write in a read-only transaction")

var defaultDriver = &Driver{}

func init() {
	sql.Register(DriverName, defaultDriver)
}

// Driver implements driver.Driver.
type Driver struct {
	mu     sync.Mutex
	stores map[string]*store
}

// Open implements driver.Driver.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	s := d.lookup(dsn)
	if s.isDown() {
		return nil, ErrDown
	}
	return &conn{store: s}, nil
}

func (d *Driver) lookup(dsn string) *store {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stores == nil {
		d.stores = make(map[string]*store)
	}
	s, ok := d.stores[dsn]
	if !ok {
		s = newStore()
		d.stores[dsn] = s
	}
	return s
}

// SetDown marks the database behind dsn as unreachable, or reachable again.
func SetDown(dsn string, down bool) {
	defaultDriver.lookup(dsn).setDown(down)
}

type savepoint struct {
	name string
	snap map[string]*table
}

type conn struct {
	store      *store
	tx         *tx
	savepoints []savepoint
	closed     bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	p, err := parse(query)
	if err != nil {
		return nil, err
	}
	return &stmt{conn: c, query: p}, nil
}

func (c *conn) Close() error {
	c.closed = true
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.tx != nil {
		return nil, errors.New("fakedb: transaction already open on this connection")
	}
	c.tx = &tx{conn: c, snap: c.store.snapshot(), readOnly: opts.ReadOnly}
	return c.tx, nil
}

func (c *conn) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.closed || c.store.isDown() {
		return driver.ErrBadConn
	}
	return nil
}

func (c *conn) findSavepoint(name string) int {
	for i := len(c.savepoints) - 1; i >= 0; i-- {
		if strings.EqualFold(c.savepoints[i].name, name) {
			return i
		}
	}
	return -1
}

func (c *conn) pushSavepoint(name string) (driver.Result, error) {
	if c.tx == nil {
		return nil, errors.New("fakedb: SAVEPOINT outside a transaction")
	}
	c.savepoints = append(c.savepoints, savepoint{name: name, snap: c.store.snapshot()})
	return result{}, nil
}

func (c *conn) rollbackTo(name string) (driver.Result, error) {
	i := c.findSavepoint(name)
	if i < 0 {
		return nil, errors.New("fakedb: no such savepoint: " + name)
	}
	c.store.restore(c.savepoints[i].snap)
	c.savepoints = c.savepoints[:i+1]
	return result{}, nil
}

func (c *conn) release(name string) (driver.Result, error) {
	i := c.findSavepoint(name)
	if i < 0 {
		return nil, errors.New("fakedb: no such savepoint: " + name)
	}
	c.savepoints = c.savepoints[:i]
	return result{}, nil
}

type tx struct {
	conn     *conn
	snap     map[string]*table
	readOnly bool
}

func (t *tx) Commit() error {
	t.conn.tx = nil
	t.conn.savepoints = nil
	return nil
}

func (t *tx) Rollback() error {
	t.conn.store.restore(t.snap)
	t.conn.tx = nil
	t.conn.savepoints = nil
	return nil
}

type stmt struct {
	conn  *conn
	query parsed
}

func (s *stmt) Close() error {
	return nil
}

func (s *stmt) NumInput() int {
	return -1
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	switch s.query.kind {
	case kindSavepoint:
		return s.conn.pushSavepoint(s.query.name)
	case kindRollbackTo:
		return s.conn.rollbackTo(s.query.name)
	case kindRelease:
		return s.conn.release(s.query.name)
	}
	if t := s.conn.tx; t != nil && t.readOnly && s.query.writes() {
		return nil, errReadOnly
	}
	return s.conn.store.exec(s.query, args)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.conn.store.query(s.query, args)
}
