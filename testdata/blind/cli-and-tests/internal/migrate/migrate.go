// Package migrate applies numbered SQL migrations through database/sql and
// records them in a schema_migrations table.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"slices"
	"sync"
	"time"
)

const (
	createTable   = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)"
	selectApplied = "SELECT version FROM schema_migrations ORDER BY version"
	insertVersion = "INSERT INTO schema_migrations (version) VALUES (?)"
	deleteVersion = "DELETE FROM schema_migrations WHERE version = ?"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int64
	Name    string
	Up      string
	Down    string
}

// Runner applies migrations to one database.
type Runner struct {
	db  *sql.DB
	log *log.Logger

	mu      sync.RWMutex
	applied map[int64]bool
	hooks   map[string]func()

	// LockTimeout bounds releasing the migration lock on the way out.
	LockTimeout time.Duration
}

// New returns a Runner for db. A nil logger discards output.
func New(db *sql.DB, logger *log.Logger) *Runner {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Runner{
		db:          db,
		log:         logger,
		applied:     make(map[int64]bool),
		hooks:       make(map[string]func()),
		LockTimeout: 5 * time.Second,
	}
}

// Hook registers fn to run around Up; name is "before" or "after".
func (r *Runner) Hook(name string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks[name] = fn
}

// Init creates the bookkeeping table.
func (r *Runner) Init(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, createTable)
	return err
}

// Load reads the applied versions from the database.
func (r *Runner) Load(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, selectApplied)
	if err != nil {
		return fmt.Errorf("load applied versions: %w", err)
	}
	defer rows.Close() // ok: after the error check
	applied := make(map[int64]bool)
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return err
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied = applied
	return nil
}

// CurrentVersion returns the highest applied version, 0 if none.
func (r *Runner) CurrentVersion(ctx context.Context) (int64, error) {
	rows, err := r.db.QueryContext(ctx, selectApplied)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var cur int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
		cur = max(cur, v)
	}
	return cur, rows.Err()
}

// History returns the applied versions in ascending order.
func (r *Runner) History(ctx context.Context) ([]int64, error) {
	rows, err := r.db.QueryContext(ctx, selectApplied)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := rows.Close(); err != nil {
			return fmt.Errorf("close history rows: %w", err)
		}
		return nil
	}()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// IsApplied reports whether version v has been applied.
func (r *Runner) IsApplied(v int64) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.applied[v]
}

// AppliedCount returns the number of applied versions.
func (r *Runner) AppliedCount() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.applied)
}

// Pending returns the migrations of all that are not applied yet.
func (r *Runner) Pending(all []Migration) []Migration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Migration
	for _, m := range all {
		if !r.IsApplied(m.Version) { // HAZ lock-reentry-under-defer
			out = append(out, m)
		}
	}
	return out
}

// pendingSorted is what Up uses: it reads the applied set under the read
// lock and sorts outside of it.
func (r *Runner) pendingSorted(all []Migration) []Migration {
	r.mu.RLock()
	out := make([]Migration, 0, len(all))
	for _, m := range all {
		if !r.applied[m.Version] {
			out = append(out, m)
		}
	}
	r.mu.RUnlock() // ok: no return between RLock and RUnlock
	slices.SortFunc(out, func(a, b Migration) int { return int(a.Version - b.Version) })
	return out
}

// MarkApplied records versions as applied without running them.
func (r *Runner) MarkApplied(versions ...int64) {
	for _, v := range versions {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		r.applied[v] = true
	}
}

// forget drops versions from the applied set, one short critical section
// per version.
func (r *Runner) forget(versions ...int64) {
	for _, v := range versions {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock() // ok: the literal returns every iteration
			delete(r.applied, v)
		}()
	}
}

// Up applies every pending migration in version order, each in its own
// transaction, while holding the migration lock.
func (r *Runner) Up(ctx context.Context, all []Migration) (err error) {
	if err := r.acquireLock(ctx); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, r.releaseLock()) }() // ok: bounded by LockTimeout inside
	if err := r.Init(ctx); err != nil {
		return err
	}
	if err := r.Load(ctx); err != nil {
		return err
	}
	for _, m := range r.pendingSorted(all) {
		if err := r.applyLogged(ctx, m); err != nil {
			return err
		}
		r.mu.Lock()
		r.applied[m.Version] = true
		r.mu.Unlock()
	}
	return nil
}

// UpWithHooks runs the registered before and after hooks around Up.
func (r *Runner) UpWithHooks(ctx context.Context, all []Migration) error {
	r.mu.RLock()
	before, after := r.hooks["before"], r.hooks["after"]
	r.mu.RUnlock()
	defer after() // HAZ defer-nil-func
	if before != nil {
		before()
	}
	return r.Up(ctx, all)
}

// UpNotify is Up with an optional completion callback.
func (r *Runner) UpNotify(ctx context.Context, all []Migration, done func(error)) (err error) {
	if done != nil {
		defer func() { done(err) }() // ok: guarded, and the literal reads err at exit
	}
	return r.Up(ctx, all)
}

// Down reverts the given migrations, newest first.
func (r *Runner) Down(ctx context.Context, ms []Migration) error {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b Migration) int { return int(b.Version - a.Version) })
	for _, m := range ms {
		if !r.IsApplied(m.Version) {
			continue
		}
		if err := r.revert(ctx, m); err != nil {
			return fmt.Errorf("revert %d_%s: %w", m.Version, m.Name, err)
		}
		r.forget(m.Version)
	}
	return nil
}

func (r *Runner) runHook(name string) {
	r.mu.RLock()
	h := r.hooks[name]
	r.mu.RUnlock()
	if h == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	h()
}

// RunHook runs the named hook, if any, and turns a panic into an error.
func (r *Runner) RunHook(name string) (err error) {
	r.mu.RLock()
	h := r.hooks[name]
	r.mu.RUnlock()
	if h == nil {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("hook %s panicked: %v", name, p) // ok: the panic becomes an error
		}
	}()
	h()
	return nil
}

// Notify runs the "notify" hook if one is registered; hooks are best effort.
func (r *Runner) Notify() { r.runHook("notify") }
