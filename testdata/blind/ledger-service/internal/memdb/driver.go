// Package memdb is a small in-memory database/sql driver used by the ledger
// service in development and in the seed/reconcile tools. It understands a
// fixed set of statements (see statements.go) and implements optimistic
// transactions that fail with SQLSTATE 40001 on conflicting commits.
package memdb

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

// DriverName is the name under which the driver is registered.
const DriverName = "memdb"

func init() {
	sql.Register(DriverName, &Driver{})
}

// Error is a driver error carrying a SQLSTATE code.
type Error struct {
	Code string
	Msg  string
}

func (e *Error) Error() string    { return fmt.Sprintf("memdb: %s (SQLSTATE %s)", e.Msg, e.Code) }
func (e *Error) SQLState() string { return e.Code }

var errSerialization = &Error{Code: "40001", Msg: "could not serialize access due to concurrent update"}

var (
	registryMu sync.Mutex
	registry   = map[string]*store{}
)

// Driver opens connections to named in-memory databases. All connections
// with the same DSN share one store.
type Driver struct{}

// Open implements driver.Driver.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	registryMu.Lock()
	defer registryMu.Unlock() // ok: plain lookup, no reentry
	st, ok := registry[dsn]
	if !ok {
		st = newStore()
		registry[dsn] = st
	}
	return &conn{st: st}, nil
}

// Drop forgets the database named dsn. Open connections keep their store.
func Drop(dsn string) {
	registryMu.Lock()
	st, ok := registry[dsn]
	delete(registry, dsn)
	registryMu.Unlock()
	if ok {
		st.close()
	}
}

type conn struct {
	st     *store
	tx     *memTx
	closed bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	h, err := lookup(query)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, h: h}, nil
}

func (c *conn) Close() error {
	c.closed = true
	c.tx = nil
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	if c.tx != nil {
		return nil, errors.New("memdb: transaction already in progress")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	work, base, err := c.st.snapshot()
	if err != nil {
		return nil, err
	}
	c.tx = &memTx{c: c, work: work, base: base, readOnly: opts.ReadOnly}
	return c.tx, nil
}

// Ping implements driver.Pinger.
func (c *conn) Ping(ctx context.Context) error {
	if c.closed {
		return driver.ErrBadConn
	}
	return ctx.Err()
}

type savepoint struct {
	name  string
	state *state
}

type memTx struct {
	c          *conn
	work       *state
	base       uint64
	dirty      bool
	readOnly   bool
	savepoints []savepoint
}

func (t *memTx) Commit() error {
	defer t.finish() // ok: plain bookkeeping
	if !t.dirty {
		return nil
	}
	return t.c.st.commit(t.work, t.base)
}

func (t *memTx) Rollback() error {
	t.finish()
	return nil
}

func (t *memTx) finish() {
	if t.c.tx == t {
		t.c.tx = nil
	}
	t.savepoints = nil
}

func (t *memTx) savepoint(name string) {
	t.savepoints = append(t.savepoints, savepoint{name: name, state: t.work.clone()})
}

func (t *memTx) find(name string) (int, error) {
	for i := len(t.savepoints) - 1; i >= 0; i-- {
		if t.savepoints[i].name == name {
			return i, nil
		}
	}
	return -1, &Error{Code: "3B001", Msg: "savepoint " + name + " does not exist"}
}

func (t *memTx) rollbackTo(name string) error {
	i, err := t.find(name)
	if err != nil {
		return err
	}
	t.work = t.savepoints[i].state.clone()
	t.savepoints = t.savepoints[:i+1]
	return nil
}

func (t *memTx) release(name string) error {
	i, err := t.find(name)
	if err != nil {
		return err
	}
	t.savepoints = t.savepoints[:i]
	return nil
}

type stmt struct {
	c *conn
	h *handler
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return s.h.args }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	res, _, err := s.run(args)
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	_, rs, err := s.run(args)
	if err != nil {
		return nil, err
	}
	if rs == nil {
		rs = &rows{}
	}
	return rs, nil
}

func (s *stmt) run(args []driver.Value) (result, *rows, error) {
	if s.c.closed {
		return result{}, nil, driver.ErrBadConn
	}
	if s.h.txctl != nil {
		if s.c.tx == nil {
			return result{}, nil, &Error{Code: "25P01", Msg: "savepoint outside transaction"}
		}
		return result{}, nil, s.h.txctl(s.c.tx)
	}
	if tx := s.c.tx; tx != nil {
		if s.h.write && tx.readOnly {
			return result{}, nil, &Error{Code: "25006", Msg: "cannot execute write in a read-only transaction"}
		}
		res, rs, err := s.h.fn(tx.work, args)
		if err == nil && s.h.write {
			tx.dirty = true
		}
		return res, rs, err
	}
	return s.c.st.autocommit(s.h, args)
}

type result struct {
	lastID   int64
	affected int64
}

func (r result) LastInsertId() (int64, error) { return r.lastID, nil }
func (r result) RowsAffected() (int64, error) { return r.affected, nil }

type rows struct {
	cols []string
	data [][]driver.Value
	pos  int
}

func (r *rows) Columns() []string { return r.cols }
func (r *rows) Close() error      { r.pos = len(r.data); return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.data) {
		return io.EOF
	}
	copy(dest, r.data[r.pos])
	r.pos++
	return nil
}

func normalize(q string) string {
	return strings.Join(strings.Fields(q), " ")
}
