// Package fakedb is a tiny in-memory database/sql driver. It understands
// just enough SQL for the migration runner: the schema_migrations table and
// a single-row migration_lock table. Everything else is recorded and
// accepted, so tests can assert on the statements a migration ran.
package fakedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// DriverName is the name registered with database/sql.
const DriverName = "fakedb"

func init() { sql.Register(DriverName, Driver{}) }

// ErrLockHeld is returned when migration_lock already has a row.
var ErrLockHeld = errors.New("fakedb: migration lock held")

// Store is one named in-memory database; the DSN passed to sql.Open picks it.
type Store struct {
	mu       sync.Mutex
	versions []int64
	locked   bool
	log      []string
	failOn   string
	commits  int
}

var (
	storesMu sync.Mutex
	stores   = map[string]*Store{}
)

// Lookup returns the store called name, creating it on first use.
func Lookup(name string) *Store {
	storesMu.Lock()
	defer storesMu.Unlock()
	s, ok := stores[name]
	if !ok {
		s = &Store{}
		stores[name] = s
	}
	return s
}

// Drop forgets the store called name.
func Drop(name string) {
	storesMu.Lock()
	delete(stores, name)
	storesMu.Unlock() // ok: nothing between lock and unlock can return
}

// FailOn makes every statement containing substr fail.
func (s *Store) FailOn(substr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failOn = substr
}

// Statements returns a copy of the statements executed so far.
func (s *Store) Statements() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Versions returns the recorded migration versions in order.
func (s *Store) Versions() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.versions)
	slices.Sort(out)
	return out
}

// Locked reports whether migration_lock holds a row.
func (s *Store) Locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.locked
}

// Commits reports how many transactions were committed.
func (s *Store) Commits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits
}

func (s *Store) exec(query string, args []driver.Value) (driver.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := normalize(query)
	if s.failOn != "" && strings.Contains(q, s.failOn) {
		return nil, fmt.Errorf("fakedb: forced failure on %q", q)
	}
	s.log = append(s.log, q)
	switch {
	case strings.HasPrefix(q, "INSERT INTO migration_lock"):
		if s.locked {
			return nil, ErrLockHeld
		}
		s.locked = true
	case strings.HasPrefix(q, "DELETE FROM migration_lock"):
		s.locked = false
	case strings.HasPrefix(q, "INSERT INTO schema_migrations"):
		v, err := int64Arg(args)
		if err != nil {
			return nil, err
		}
		if slices.Contains(s.versions, v) {
			return nil, fmt.Errorf("fakedb: duplicate version %d", v)
		}
		s.versions = append(s.versions, v)
	case strings.HasPrefix(q, "DELETE FROM schema_migrations"):
		v, err := int64Arg(args)
		if err != nil {
			return nil, err
		}
		s.versions = slices.DeleteFunc(s.versions, func(x int64) bool { return x == v })
	}
	return driver.RowsAffected(1), nil
}

func (s *Store) query(query string) (driver.Rows, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := normalize(query)
	if s.failOn != "" && strings.Contains(q, s.failOn) {
		return nil, fmt.Errorf("fakedb: forced failure on %q", q)
	}
	if !strings.HasPrefix(q, "SELECT version FROM schema_migrations") {
		return nil, fmt.Errorf("fakedb: unsupported query %q", q)
	}
	vs := slices.Clone(s.versions)
	slices.Sort(vs)
	return &rows{versions: vs}, nil
}

func (s *Store) commit() {
	s.mu.Lock()
	s.commits++
	s.mu.Unlock()
}

func normalize(q string) string { return strings.Join(strings.Fields(q), " ") }

func int64Arg(args []driver.Value) (int64, error) {
	if len(args) != 1 {
		return 0, fmt.Errorf("fakedb: want 1 argument, got %d", len(args))
	}
	v, ok := args[0].(int64)
	if !ok {
		return 0, fmt.Errorf("fakedb: want int64 argument, got %T", args[0])
	}
	return v, nil
}

// Driver implements driver.Driver.
type Driver struct{}

// Open opens a connection to the store named by dsn.
func (Driver) Open(dsn string) (driver.Conn, error) {
	if dsn == "" {
		return nil, errors.New("fakedb: empty DSN")
	}
	return &conn{store: Lookup(dsn)}, nil
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

func (c *conn) Begin() (driver.Tx, error) {
	return &tx{c: c}, nil
}

func (c *conn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Begin()
}

type tx struct {
	c    *conn
	done bool
}

func (t *tx) Commit() error {
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	t.c.store.commit()
	return nil
}

func (t *tx) Rollback() error {
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	return nil
}

type stmt struct {
	c     *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.c.store.exec(s.query, args)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.c.store.query(s.query)
}

type rows struct {
	versions []int64
	pos      int
}

func (r *rows) Columns() []string { return []string{"version"} }
func (r *rows) Close() error      { return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.versions) {
		return io.EOF
	}
	dest[0] = r.versions[r.pos]
	r.pos++
	return nil
}
