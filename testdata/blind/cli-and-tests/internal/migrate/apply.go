package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}

// apply runs one migration and records its version in one transaction.
func (r *Runner) apply(ctx context.Context, m Migration) (err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin %d: %w", m.Version, err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(tx)) // ok: err is the named result
		}
	}()
	if _, err = tx.ExecContext(ctx, m.Up); err != nil {
		return fmt.Errorf("%d_%s: %w", m.Version, m.Name, err)
	}
	if _, err = tx.ExecContext(ctx, insertVersion, m.Version); err != nil {
		return fmt.Errorf("record %d: %w", m.Version, err)
	}
	return tx.Commit()
}

// applyLogged applies m and logs the outcome.
func (r *Runner) applyLogged(ctx context.Context, m Migration) error {
	start := time.Now()
	var err error
	defer r.logResult(m, start, err) // HAZ defer-eager-evaluation
	err = r.apply(ctx, m)
	return err
}

// applyTimed is applyLogged done right: the literal reads err at exit.
func (r *Runner) applyTimed(ctx context.Context, m Migration) (err error) {
	defer func(start time.Time) {
		r.logResult(m, start, err)
	}(time.Now()) // ok: the start time is meant to be taken here
	return r.apply(ctx, m)
}

func (r *Runner) logResult(m Migration, start time.Time, err error) {
	if err != nil {
		r.log.Printf("FAIL %d_%s after %s: %v", m.Version, m.Name, time.Since(start), err)
		return
	}
	r.log.Printf("ok   %d_%s (%s)", m.Version, m.Name, time.Since(start))
}

// revert runs m.Down and forgets its version in one transaction.
func (r *Runner) revert(ctx context.Context, m Migration) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	if _, err = tx.ExecContext(ctx, m.Down); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, deleteVersion, m.Version)
	return err
}

// ApplyAll applies ms in order, stopping at the first failure. Each
// migration's transaction is confined to applyTimed, so nothing piles up.
func (r *Runner) ApplyAll(ctx context.Context, ms []Migration) (int, error) {
	for i, m := range ms {
		if err := r.applyTimed(ctx, m); err != nil {
			return i, err
		}
	}
	return len(ms), nil
}
