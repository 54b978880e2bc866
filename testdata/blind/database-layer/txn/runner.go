// Package txn runs functions inside transactions, with retries on
// serialization conflicts, savepoints for nested units of work, and panic
// safety.
package txn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"time"
)

// ErrRetryable marks an error as a conflict worth retrying.
var ErrRetryable = errors.New("txn: retryable conflict")

// Func is a unit of work inside a transaction.
type Func func(ctx context.Context, tx *sql.Tx) error

// Option configures a Runner.
type Option func(*Runner)

// WithRetries sets how many times a conflicting transaction is retried.
func WithRetries(n int) Option {
	return func(r *Runner) { r.retries = n }
}

// WithBackoff sets the retry backoff bounds.
func WithBackoff(base, max time.Duration) Option {
	return func(r *Runner) { r.base, r.max = base, max }
}

// WithLogger sets the logger used for retries and panics.
func WithLogger(l *log.Logger) Option {
	return func(r *Runner) { r.logger = l }
}

// Runner executes Funcs in transactions.
type Runner struct {
	db      *sql.DB
	retries int
	base    time.Duration
	max     time.Duration
	logger  *log.Logger
}

// NewRunner returns a Runner over db.
func NewRunner(db *sql.DB, opts ...Option) *Runner {
	r := &Runner{db: db, retries: 3, base: 10 * time.Millisecond, max: time.Second}
	for _, o := range opts {
		o(r)
	}
	return r
}

func (r *Runner) logf(format string, args ...any) {
	if r.logger != nil {
		r.logger.Printf(format, args...)
	}
}

// WithTx runs fn in a transaction: commit on success, rollback on error or
// panic (the panic continues after the rollback).
func (r *Runner) WithTx(ctx context.Context, fn Func) (err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("txn: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
			return
		}
		err = tx.Commit()
	}()
	return fn(ctx, tx)
}

// WithRetry runs fn with WithTx, retrying while it fails with ErrRetryable.
func (r *Runner) WithRetry(ctx context.Context, fn Func) error {
	b := Backoff{Base: r.base, Max: r.max}
	var err error
	for attempt := 0; attempt <= r.retries; attempt++ {
		err = r.WithTx(ctx, fn)
		if err == nil || !errors.Is(err, ErrRetryable) {
			return err
		}
		r.logf("txn: attempt %d conflicted: %v", attempt+1, err)
		if serr := sleepCtx(ctx, b.Next()); serr != nil {
			return errors.Join(err, serr)
		}
	}
	return fmt.Errorf("txn: giving up after %d attempts: %w", r.retries+1, err)
}

// ReadOnly runs fn in a read-only transaction that is always rolled back.
func (r *Runner) ReadOnly(ctx context.Context, fn Func) error {
	tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("txn: begin read-only: %w", err)
	}
	return fn(ctx, tx)
}

// Snapshot runs fn in a read-only transaction, rolled back after the check.
func (r *Runner) Snapshot(ctx context.Context, fn Func) error {
	tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("txn: begin snapshot: %w", err)
	}
	defer tx.Rollback()
	return fn(ctx, tx)
}

func (r *Runner) logOutcome(what string, n int, err error) {
	if err != nil {
		r.logf("txn: %s (%d statements) failed: %v", what, n, err)
		return
	}
	r.logf("txn: %s (%d statements) committed", what, n)
}

// ExecScript runs statements in one transaction and logs the outcome.
func (r *Runner) ExecScript(ctx context.Context, stmts []string) error {
	var err error
	defer r.logOutcome("script", len(stmts), err) // HAZ defer-eager-evaluation
	err = r.WithTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("statement %d: %w", i+1, err)
			}
		}
		return nil
	})
	return err
}

// ExecScriptLogged is ExecScript with the outcome read at exit.
func (r *Runner) ExecScriptLogged(ctx context.Context, stmts []string) (err error) {
	defer func() { r.logOutcome("script", len(stmts), err) }()
	return r.WithTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("statement %d: %w", i+1, err)
			}
		}
		return nil
	})
}

// Guard runs fn and turns a panic into an error.
func (r *Runner) Guard(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		convert := func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				err = fmt.Errorf("txn: panic: %v", p)
			}
		}
		convert()
	}()
	return fn(ctx)
}

// Protect runs fn and turns a panic into an error through a deferred helper
// that calls recover itself.
func (r *Runner) Protect(ctx context.Context, fn func(context.Context) error) (err error) {
	defer r.catch(&err)
	return fn(ctx)
}

func (r *Runner) catch(errp *error) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("txn: recovered: %v", p)
		r.logf("%v", *errp)
	}
}
