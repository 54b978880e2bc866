package dbconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// DB is a connection pool with health bookkeeping.
type DB struct {
	sql    *sql.DB
	cfg    Config
	logger *log.Logger

	mu       sync.Mutex
	healthy  bool
	lastErr  error
	lastPing time.Time
	failures int
}

// Open opens and pings the pool described by cfg.
func Open(ctx context.Context, cfg Config, logger *log.Logger) (*DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open(cfg.Driver, cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("dbconn: open %s: %w", cfg.Redacted(), err)
	}
	sqlDB.SetMaxOpenConns(cfg.MaxOpen)
	sqlDB.SetMaxIdleConns(cfg.MaxIdle)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	d := &DB{sql: sqlDB, cfg: cfg, logger: logger}
	if err := d.Ping(ctx); err != nil {
		return nil, errors.Join(err, sqlDB.Close())
	}
	return d, nil
}

// Wrap adopts an already opened pool.
func Wrap(sqlDB *sql.DB, cfg Config, logger *log.Logger) *DB {
	return &DB{sql: sqlDB, cfg: cfg, logger: logger, healthy: true}
}

// SQL exposes the underlying pool.
func (d *DB) SQL() *sql.DB {
	return d.sql
}

// Close closes the pool.
func (d *DB) Close() error {
	return d.sql.Close()
}

func (d *DB) logf(format string, args ...any) {
	if d.logger != nil {
		d.logger.Printf(format, args...)
	}
}

// Ping checks the pool within the configured timeout and records the outcome.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.PingTimeout)
	defer cancel()
	err := d.sql.PingContext(ctx)
	d.setHealth(err)
	return err
}

func (d *DB) setHealth(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lastPing = time.Now()
	d.lastErr = err
	d.healthy = err == nil
	if err != nil {
		d.failures++
		return
	}
	d.failures = 0
}

// Healthy reports the outcome of the last ping.
func (d *DB) Healthy() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.healthy
}

// Status is a point-in-time view of the pool for status pages.
type Status struct {
	Healthy   bool
	LastError string
	LastPing  time.Time
	Failures  int
	OpenConns int
	InUse     int
}

// Status returns the current health and pool statistics.
func (d *DB) Status() Status {
	stats := d.sql.Stats()
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Status{
		Healthy:   d.healthy,
		LastPing:  d.lastPing,
		Failures:  d.failures,
		OpenConns: stats.OpenConnections,
		InUse:     stats.InUse,
	}
	if d.lastErr != nil {
		s.LastError = d.lastErr.Error()
	}
	return s
}

// Report renders a one-line health summary.
func (d *DB) Report() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	state := "down"
	if d.Healthy() { // HAZ lock-reentry-under-defer
		state = "up"
	}
	return fmt.Sprintf("db %s: %s (failures=%d, last ping %s)",
		d.cfg.Redacted(), state, d.failures, d.lastPing.Format(time.RFC3339))
}

// Summary renders the same line as Report from a snapshot, without holding
// the lock while formatting.
func (d *DB) Summary() string {
	s := d.Status()
	state := "down"
	if s.Healthy {
		state = "up"
	}
	return fmt.Sprintf("db %s: %s (failures=%d, last ping %s)",
		d.cfg.Redacted(), state, s.Failures, s.LastPing.Format(time.RFC3339))
}

// ResetFailures clears the failure counter after an operator intervention.
func (d *DB) ResetFailures() {
	d.mu.Lock()
	defer d.mu.Lock() // HAZ defer-lock-mismatch
	d.failures = 0
	d.lastErr = nil
}

// MarkDown records an externally detected outage.
func (d *DB) MarkDown(cause error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.healthy = false
	d.lastErr = cause
	d.failures++
}

// WithConn runs fn on a dedicated connection and returns it to the pool.
func (d *DB) WithConn(ctx context.Context, fn func(*sql.Conn) error) (err error) {
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("dbconn: acquire connection: %w", err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	return fn(conn)
}

// Pinned runs fn on a dedicated connection, for session-scoped settings.
func (d *DB) Pinned(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := d.sql.Conn(ctx)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("dbconn: pin connection: %w", err)
	}
	return fn(conn)
}

// SessionConn returns a dedicated connection with a session setting applied;
// the caller closes it.
func (d *DB) SessionConn(ctx context.Context, setting string) (*sql.Conn, error) {
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, setting); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	return conn, nil
}
