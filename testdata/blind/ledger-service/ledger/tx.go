package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"time"
)

// WithTx runs fn inside a transaction and commits if fn succeeds.
func WithTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() // ok: checked begin; a no-op once Commit has run
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Nested runs fn inside a savepoint. If fn fails, only the work since the
// savepoint is undone and the enclosing transaction stays usable.
func Nested(ctx context.Context, tx *sql.Tx, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint %s: %w", name, err)
	}
	if err := fn(); err != nil {
		if _, rbErr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("release %s: %w", name, err)
	}
	return nil
}

// nestedAll runs each step in its own savepoint and collects the failures;
// successful steps are kept.
func nestedAll(ctx context.Context, tx *sql.Tx, steps map[string]func() error) error {
	var errs []error
	for name, step := range steps {
		if err := Nested(ctx, tx, name, step); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// withSavepoint is the older helper kept for the batch importer: it always
// releases the savepoint when it returns.
func withSavepoint(ctx context.Context, tx *sql.Tx, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	defer tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name) // HAZ defer-blocking-call
	return fn()
}

type sqlStater interface{ SQLState() string }

// isSerialization reports whether err is a serialization failure (SQLSTATE
// 40001) that is worth retrying.
func isSerialization(err error) bool {
	var s sqlStater
	return errors.As(err, &s) && s.SQLState() == "40001"
}

func backoff(attempt int) time.Duration {
	base := 5 * time.Millisecond << attempt
	if base > 500*time.Millisecond {
		base = 500 * time.Millisecond
	}
	return base/2 + time.Duration(rand.Int63n(int64(base/2)+1))
}

// RetryTx runs fn in a fresh transaction until it commits, fails with an
// error other than a serialization failure, or attempts are exhausted.
func (s *Store) RetryTx(ctx context.Context, attempts int, fn func(*sql.Tx) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		err = WithTx(ctx, s.db, nil, fn) // ok: each attempt's rollback is deferred inside WithTx
		if err == nil || !isSerialization(err) {
			return err
		}
		s.metrics.Inc("ledger.tx.retry")
		t := time.NewTimer(backoff(i))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return fmt.Errorf("giving up after %d attempts: %w", attempts, err)
}

// retryInPlace is the fee job's retry loop.
func (s *Store) retryInPlace(ctx context.Context, attempts int, fn func(*sql.Tx) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		var tx *sql.Tx
		tx, err = s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // HAZ defer-in-loop
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
		}
		if !isSerialization(err) {
			return err
		}
		time.Sleep(backoff(i))
	}
	return err
}

// retryEach is the corrected form: one closure per attempt owns its rollback.
func (s *Store) retryEach(ctx context.Context, attempts int, fn func(*sql.Tx) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		err = func() error {
			tx, err := s.db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback() // ok: deferred inside a per-attempt function literal
			if err := fn(tx); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if !isSerialization(err) {
			return err
		}
	}
	return err
}
