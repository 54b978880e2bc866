package txn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Savepoint is a named point inside a transaction to roll back to.
type Savepoint struct {
	tx   *sql.Tx
	name string
	done bool
}

func validName(name string) bool {
	if name == "" || len(name) > 63 {
		return false
	}
	for i, c := range name {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// Begin sets a savepoint named name in tx.
func Begin(ctx context.Context, tx *sql.Tx, name string) (*Savepoint, error) {
	if !validName(name) {
		return nil, fmt.Errorf("txn: invalid savepoint name %q", name)
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return nil, err
	}
	return &Savepoint{tx: tx, name: name}, nil
}

// Release keeps the work done since the savepoint.
func (s *Savepoint) Release(ctx context.Context) error {
	if s.done {
		return errors.New("txn: savepoint already finished")
	}
	s.done = true
	_, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+s.name)
	return err
}

// Rollback undoes the work done since the savepoint.
func (s *Savepoint) Rollback(ctx context.Context) error {
	if s.done {
		return errors.New("txn: savepoint already finished")
	}
	s.done = true
	_, err := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+s.name)
	return err
}

// Nested runs fn under a savepoint: released on success, rolled back on error.
func Nested(ctx context.Context, tx *sql.Tx, name string, fn func() error) error {
	sp, err := Begin(ctx, tx, name)
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return errors.Join(err, sp.Rollback(ctx))
	}
	return sp.Release(ctx)
}

// Step is one optional or mandatory unit of a multi-step transaction.
type Step struct {
	Name     string
	Optional bool
	Run      Func
}

// RunSteps runs each step under its own savepoint; a failing optional step is
// rolled back and skipped, a failing mandatory step aborts.
func RunSteps(ctx context.Context, tx *sql.Tx, steps []Step) (skipped []string, err error) {
	for i, s := range steps {
		err := Nested(ctx, tx, fmt.Sprintf("step_%d", i), func() error {
			return s.Run(ctx, tx)
		})
		if err == nil {
			continue
		}
		if !s.Optional {
			return skipped, fmt.Errorf("txn: step %s: %w", s.Name, err)
		}
		skipped = append(skipped, s.Name)
	}
	return skipped, nil
}
