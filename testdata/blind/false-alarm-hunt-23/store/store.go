// Package store is the application's data layer on top of database/sql and
// the fahdb driver.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	_ "example.com/fah23/fahdb" // registers the "fahdb" driver
	"example.com/fah23/internal/wire"
)

// Store wraps a *sql.DB.
type Store struct {
	db      *sql.DB
	log     *log.Logger
	retries int
	onRetry func(query string, attempt int)
}

// Open opens and pings the database.
func Open(ctx context.Context, dsn string, logger *log.Logger) (*Store, error) {
	db, err := sql.Open("fahdb", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Store{db: db, log: logger, retries: 3}, nil
}

// DB exposes the handle for migrations and exports.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the handle.
func (s *Store) Close() error { return s.db.Close() }

// OnRetry installs a hook called (asynchronously) for every retried Exec.
func (s *Store) OnRetry(fn func(query string, attempt int)) { s.onRetry = fn }

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// TableSizes counts the rows of every table.
func (s *Store) TableSizes(ctx context.Context, tables []string) (map[string]int64, error) {
	sizes := make(map[string]int64, len(tables))
	for _, t := range tables {
		rows, err := s.db.QueryContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(t))
		if err != nil {
			return nil, fmt.Errorf("store: count %s: %w", t, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		if rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
			sizes[t] = n
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return sizes, nil
}

// TableColumns reports the column names of every table. Each query's rows
// are closed at the end of its own iteration.
func (s *Store) TableColumns(ctx context.Context, tables []string) (map[string][]string, error) {
	out := make(map[string][]string, len(tables))
	for _, t := range tables {
		cols, err := func() ([]string, error) {
			rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+quoteIdent(t)+" WHERE id = ?", -1)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			return rows.Columns()
		}()
		if err != nil {
			return nil, fmt.Errorf("store: columns of %s: %w", t, err)
		}
		out[t] = cols
	}
	return out, nil
}

// ExecWithRetry retries transient failures with exponential backoff.
func (s *Store) ExecWithRetry(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var (
		attempt int
		lastErr error
	)
	for attempt = 1; attempt <= s.retries; attempt++ {
		res, err := s.db.ExecContext(ctx, query, args...)
		if err == nil {
			return res, nil
		}
		lastErr = err
		if !retryable(err) {
			break
		}
		if hook := s.onRetry; hook != nil {
			go func() { // HAZ loop-var-capture
				hook(query, attempt)
			}()
		}
		select {
		case <-time.After(backoff(attempt)):
		case <-ctx.Done():
			return nil, errors.Join(lastErr, ctx.Err())
		}
	}
	return nil, fmt.Errorf("store: exec failed after %d attempt(s): %w", min(attempt, s.retries), lastErr)
}

func retryable(err error) bool {
	var se *wire.ServerError
	if errors.As(err, &se) {
		return strings.HasPrefix(se.Code, "40") // serialization failure, deadlock
	}
	return errors.Is(err, sql.ErrConnDone)
}

func backoff(attempt int) time.Duration {
	d := 20 * time.Millisecond << attempt
	if d > 2*time.Second {
		d = 2 * time.Second
	}
	return d
}

// WithTx runs fn inside a transaction. The deferred rollback only acts when
// fn or the commit failed, and its own error is joined to the result.
func (s *Store) WithTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err == nil {
			return
		}
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			err = errors.Join(err, rerr)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
