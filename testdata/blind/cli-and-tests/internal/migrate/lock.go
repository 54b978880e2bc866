package migrate

import (
	"context"
	"fmt"
	"time"
)

const (
	lockInsert = "INSERT INTO migration_lock (id) VALUES (1)"
	lockDelete = "DELETE FROM migration_lock"
)

func (r *Runner) acquireLock(ctx context.Context) error {
	if _, err := r.db.ExecContext(ctx, lockInsert); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	return nil
}

func (r *Runner) lockTimeout() time.Duration {
	if r.LockTimeout <= 0 {
		return 5 * time.Second
	}
	return r.LockTimeout
}

// releaseLock deletes the lock row, bounded by LockTimeout so a hung
// database cannot keep the process from exiting.
func (r *Runner) releaseLock() error {
	ctx, cancel := context.WithTimeout(context.Background(), r.lockTimeout())
	defer cancel()
	_, err := r.db.ExecContext(ctx, lockDelete)
	return err
}

// Force records version as applied without running it, e.g. after a
// migration was applied by hand.
func (r *Runner) Force(ctx context.Context, version int64) error {
	if err := r.acquireLock(ctx); err != nil {
		return err
	}
	defer r.db.Exec(lockDelete) // HAZ defer-blocking-call
	if _, err := r.db.ExecContext(ctx, insertVersion, version); err != nil {
		return fmt.Errorf("force %d: %w", version, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied[version] = true
	return nil
}

// Unforce removes a forced version again. The lock is released with a
// bounded context built inside the deferred call.
func (r *Runner) Unforce(ctx context.Context, version int64) error {
	if err := r.acquireLock(ctx); err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), r.lockTimeout())
		defer cancel()
		_, _ = r.db.ExecContext(ctx, lockDelete) // ok: bounded by the timeout above
	}()
	if _, err := r.db.ExecContext(ctx, deleteVersion, version); err != nil {
		return err
	}
	r.forget(version)
	return nil
}
