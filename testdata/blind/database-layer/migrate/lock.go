package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrLocked is returned when another process holds the migration lock.
var ErrLocked = errors.New("migrate: another migration is running")

// AdvisoryLock is a session-level lock held on a dedicated connection.
type AdvisoryLock struct {
	conn *sql.Conn
	id   int64
}

// AcquireAdvisory takes lock id on a dedicated connection of db.
func AcquireAdvisory(ctx context.Context, db *sql.DB, id int64) (*AdvisoryLock, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", id).Scan(&ok); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	if !ok {
		return nil, errors.Join(ErrLocked, conn.Close())
	}
	return &AdvisoryLock{conn: conn, id: id}, nil
}

// Release unlocks and returns the connection to the pool.
func (l *AdvisoryLock) Release(ctx context.Context) error {
	_, err := l.conn.ExecContext(ctx, "SELECT pg_advisory_unlock(?)", l.id)
	return errors.Join(err, l.conn.Close())
}

// withLock runs fn while holding the advisory lock; the unlock is bounded by
// its own timeout so a hung server cannot stall the exit.
func (m *Migrator) withLock(ctx context.Context, fn func(context.Context) error) (err error) {
	l, err := AcquireAdvisory(ctx, m.db, m.opts.LockID)
	if err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = errors.Join(err, l.Release(rctx))
	}()
	return fn(ctx)
}

// withSessionLock is the older locking helper kept for the repair command.
func (m *Migrator) withSessionLock(ctx context.Context, fn func(context.Context) error) error {
	if _, err := m.db.ExecContext(ctx, "SELECT pg_advisory_lock(?)", m.opts.LockID); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer m.db.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", m.opts.LockID) // HAZ defer-blocking-call
	return fn(ctx)
}

// Repair re-applies the named versions under the session lock.
func (m *Migrator) Repair(ctx context.Context, versions ...int) error {
	return m.withSessionLock(ctx, func(ctx context.Context) error {
		for _, v := range versions {
			if err := m.Redo(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Bootstrap opens dsn and applies ms in a single transaction, for fresh
// databases in tests and demos.
func Bootstrap(ctx context.Context, driverName, dsn string, ms []Migration) error {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return errors.Join(err, db.Close())
	}
	defer tx.Rollback() // HAZ defer-order-inverted
	defer db.Close()
	for _, mig := range ms {
		if _, err := tx.ExecContext(ctx, mig.Up); err != nil {
			return fmt.Errorf("migrate: bootstrap %d_%s: %w", mig.Version, mig.Name, err)
		}
	}
	return tx.Commit()
}
