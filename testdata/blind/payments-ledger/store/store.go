// Package store defines the small transactional key-value interface the ledger
// persists to, and an in-memory implementation used by tests and single-node
// deployments.
package store

import (
	"context"
	"errors"
	"fmt"
)

var (
	// ErrConflict is returned by Commit when a key read by the transaction was
	// changed by another transaction in the meantime.
	ErrConflict = errors.New("store: write conflict")
	// ErrTxDone is returned when a finished transaction is used again.
	ErrTxDone = errors.New("store: transaction already committed or rolled back")
	// ErrClosed is returned by Begin once the store is closed.
	ErrClosed = errors.New("store: closed")
)

// Store hands out transactions.
type Store interface {
	Begin(ctx context.Context) (Tx, error)
}

// Tx is a unit of work. Writes are invisible to others until Commit.
type Tx interface {
	Get(key string) ([]byte, bool)
	Put(key string, value []byte)
	Delete(key string)
	Commit() error
	Rollback() error
}

// WithTx runs fn inside a transaction, committing when fn succeeds and rolling
// back when it fails or panics. A panic is re-raised after the rollback.
func WithTx(ctx context.Context, s Store, fn func(Tx) error) (err error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, ErrTxDone) {
				err = errors.Join(err, rbErr)
			}
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Retry runs WithTx until it succeeds, fails with something other than a
// conflict, or the attempts are used up.
func Retry(ctx context.Context, s Store, attempts int, fn func(Tx) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		err = WithTx(ctx, s, fn)
		if !errors.Is(err, ErrConflict) {
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return errors.Join(err, cerr)
		}
	}
	return fmt.Errorf("store: giving up after %d conflicting attempts: %w", attempts, err)
}
