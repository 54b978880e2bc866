// Package store is the data-access layer: users, orders and maintenance
// queries on top of database/sql.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned when a lookup matches no row.
var ErrNotFound = errors.New("store: not found")

// Store wraps a *sql.DB with per-query timeouts, metrics and lazily
// prepared statements.
type Store struct {
	db      *sql.DB
	timeout time.Duration
	logger  *log.Logger
	metrics *Metrics
	hooks   map[string]func() // after-exec hooks by operation; set up before use
	nextID  atomic.Int64

	stmtOnce sync.Once
	stmts    *statements
	stmtErr  error
}

type statements struct {
	insertUser  *sql.Stmt
	insertOrder *sql.Stmt
}

// Open connects and checks that the database answers within timeout.
func Open(driverName, dsn string, timeout time.Duration, logger *log.Logger) (*Store, error) {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dsn, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: ping %s: %w", dsn, err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(time.Minute)
	if logger == nil {
		logger = log.Default()
	}
	s := &Store{db: db, timeout: timeout, logger: logger, metrics: NewMetrics(), hooks: map[string]func(){}}
	s.nextID.Store(time.Now().UnixNano() % 1_000_000)
	return s, nil
}

// DB exposes the handle for packages that run their own queries.
func (s *Store) DB() *sql.DB { return s.db }

// Metrics returns the per-operation latency metrics.
func (s *Store) Metrics() *Metrics { return s.metrics }

// OnExec registers fn to run after every Exec of op. Call it before the
// store is shared between goroutines.
func (s *Store) OnExec(op string, fn func()) {
	if fn == nil {
		delete(s.hooks, op)
		return
	}
	s.hooks[op] = fn
}

// Close releases the prepared statements and the database handle.
func (s *Store) Close() error {
	var errs []error
	if s.stmts != nil {
		errs = append(errs, s.stmts.close())
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// prepared prepares the hot statements once. A failure is sticky: the
// store is unusable without them and the caller should restart.
func (s *Store) prepared() (*statements, error) {
	s.stmtOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		defer cancel()
		s.stmts, s.stmtErr = prepareAll(ctx, s.db)
	})
	return s.stmts, s.stmtErr
}

func prepareAll(ctx context.Context, db *sql.DB) (*statements, error) {
	st := &statements{}
	targets := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.insertUser, "INSERT INTO users VALUES (?, ?, ?)"},
		{&st.insertOrder, "INSERT INTO orders VALUES (?, ?, ?, ?)"},
	}
	for _, t := range targets {
		stmt, err := db.PrepareContext(ctx, t.query)
		if err != nil {
			_ = st.close()
			return nil, fmt.Errorf("store: prepare %q: %w", t.query, err)
		}
		*t.dst = stmt
	}
	return st, nil
}

func (st *statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{st.insertUser, st.insertOrder} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks the database and records how long it took.
func (s *Store) Ping(ctx context.Context) error {
	defer s.metrics.ObserveSince("ping", time.Now())
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	return s.db.PingContext(ctx)
}

// WithSession pins one pooled connection for fn, for work that depends on
// session state. The connection goes back to database/sql's pool on return.
func (s *Store) WithSession(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: acquire session: %w", err)
	}
	defer conn.Close()
	return fn(conn)
}
