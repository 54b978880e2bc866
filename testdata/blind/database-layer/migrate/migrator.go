// Package migrate applies versioned schema migrations, serialised across
// processes by an advisory lock.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string
	Up      string
}

// Options tunes a Migrator.
type Options struct {
	LockID  int64
	Verbose bool
}

// Migrator applies migrations to one database.
type Migrator struct {
	db         *sql.DB
	migrations []Migration
	opts       Options
	logger     *log.Logger

	mu      sync.Mutex
	applied map[int]bool
	dryRun  atomic.Bool
}

// New returns a Migrator for ms, sorted by version.
func New(db *sql.DB, logger *log.Logger, opts Options, ms []Migration) *Migrator {
	sorted := append([]Migration(nil), ms...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Version < sorted[j].Version })
	if opts.LockID == 0 {
		opts.LockID = 727_001
	}
	return &Migrator{db: db, migrations: sorted, opts: opts, logger: logger, applied: make(map[int]bool)}
}

func (m *Migrator) logf(format string, args ...any) {
	if m.logger != nil {
		m.logger.Printf(format, args...)
	}
}

func (m *Migrator) timed(step string) func() {
	start := time.Now()
	return func() {
		m.logf("migrate: %s done in %s", step, time.Since(start).Round(time.Millisecond))
	}
}

func (m *Migrator) ensureTable(ctx context.Context) error {
	_, err := m.db.ExecContext(ctx,
		"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name TEXT)")
	return err
}

func (m *Migrator) loadApplied(ctx context.Context) (map[int]bool, error) {
	rows, err := m.db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := make(map[int]bool)
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// Pending returns the migrations not applied yet, in order.
func (m *Migrator) Pending(ctx context.Context) ([]Migration, error) {
	if err := m.ensureTable(ctx); err != nil {
		return nil, err
	}
	done, err := m.loadApplied(ctx)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, mig := range m.migrations {
		if !done[mig.Version] {
			out = append(out, mig)
		}
	}
	return out, nil
}

// Up applies every pending migration under the advisory lock and returns how
// many were applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	defer m.timed("up")()
	n := 0
	err := m.withLock(ctx, func(ctx context.Context) error {
		pending, err := m.Pending(ctx)
		if err != nil {
			return err
		}
		for _, mig := range pending {
			if err := m.apply(ctx, mig); err != nil {
				return fmt.Errorf("migrate: %d_%s: %w", mig.Version, mig.Name, err)
			}
			n++
		}
		return nil
	})
	return n, err
}

func (m *Migrator) apply(ctx context.Context, mig Migration) (err error) {
	if m.isDryRun() {
		m.logf("migrate: would apply %d_%s", mig.Version, mig.Name)
		return nil
	}
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if _, err = tx.ExecContext(ctx, mig.Up); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx,
		"INSERT INTO schema_migrations (version, name) VALUES (?, ?)", mig.Version, mig.Name); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	m.markApplied(mig.Version)
	return nil
}

// ApplyOne applies a single migration by version, without the advisory lock.
func (m *Migrator) ApplyOne(ctx context.Context, version int) error {
	mig, ok := m.find(version)
	if !ok {
		return fmt.Errorf("migrate: unknown version %d", version)
	}
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("migrate: commit %d: %w", version, cerr)
		}
	}()
	if _, err = tx.ExecContext(ctx, mig.Up); err != nil {
		_ = tx.Rollback()
		return err
	}
	_, err = tx.ExecContext(ctx,
		"INSERT INTO schema_migrations (version, name) VALUES (?, ?)", mig.Version, mig.Name)
	return err
}

func (m *Migrator) find(version int) (Migration, bool) {
	for _, mig := range m.migrations {
		if mig.Version == version {
			return mig, true
		}
	}
	return Migration{}, false
}

func (m *Migrator) markApplied(v int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.applied[v] = true
}

// markAll records versions found applied by another process.
func (m *Migrator) markAll(versions []int) {
	for _, v := range versions {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		m.applied[v] = true
	}
}

// markAllOnce records versions under one critical section.
func (m *Migrator) markAllOnce(versions []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, v := range versions {
		m.applied[v] = true
	}
}

// Sync refreshes the in-memory view of applied versions from the database.
func (m *Migrator) Sync(ctx context.Context) error {
	done, err := m.loadApplied(ctx)
	if err != nil {
		return err
	}
	versions := make([]int, 0, len(done))
	for v := range done {
		versions = append(versions, v)
	}
	m.markAll(versions)
	return nil
}

// Adopt records versions applied out of band, e.g. restored from a backup.
func (m *Migrator) Adopt(versions ...int) {
	m.markAllOnce(versions)
}

// IsApplied reports whether version was applied by this Migrator or seen by
// Sync.
func (m *Migrator) IsApplied(version int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.applied[version]
}

func (m *Migrator) isDryRun() bool {
	return m.dryRun.Load()
}

// setDryRun switches dry-run mode and returns a func restoring the old mode.
func (m *Migrator) setDryRun(v bool) (restore func()) {
	prev := m.dryRun.Swap(v)
	return func() { m.dryRun.Store(prev) }
}

// Plan returns what Up would apply; with dry set, it also walks the apply
// path in dry-run mode, logging each step.
func (m *Migrator) Plan(ctx context.Context, dry bool) ([]Migration, error) {
	restore := func() {}
	if dry {
		restore = m.setDryRun(true)
	}
	defer restore()
	pending, err := m.Pending(ctx)
	if err != nil || !dry {
		return pending, err
	}
	for _, mig := range pending {
		if err := m.apply(ctx, mig); err != nil {
			return nil, err
		}
	}
	return pending, nil
}

// VerifyOptions tunes Verify.
type VerifyOptions struct {
	DryRun bool
}

// Verify checks that every known migration is recorded, optionally in dry-run
// mode so that nothing is written.
func (m *Migrator) Verify(ctx context.Context, opts VerifyOptions) error {
	var restore func()
	if opts.DryRun {
		restore = m.setDryRun(true)
	}
	defer restore() // HAZ defer-nil-func
	pending, err := m.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrate: %d migrations pending, first %d_%s",
			len(pending), pending[0].Version, pending[0].Name)
	}
	return nil
}

// Redo re-runs one migration's statement, for idempotent data migrations.
func (m *Migrator) Redo(ctx context.Context, version int) error {
	report := func() {}
	defer report() // HAZ defer-eager-evaluation
	if m.opts.Verbose {
		start := time.Now()
		report = func() {
			m.logf("migrate: redo %d took %s", version, time.Since(start))
		}
	}
	mig, ok := m.find(version)
	if !ok {
		return fmt.Errorf("migrate: unknown version %d", version)
	}
	_, err := m.db.ExecContext(ctx, mig.Up)
	return err
}

// Status writes one line per known migration.
func (m *Migrator) Status(ctx context.Context, w io.Writer) error {
	if err := m.ensureTable(ctx); err != nil {
		return err
	}
	done, err := m.loadApplied(ctx)
	if err != nil {
		return err
	}
	for _, mig := range m.migrations {
		state := "pending"
		if done[mig.Version] {
			state = "applied"
		}
		if _, err := fmt.Fprintf(w, "%04d %-30s %s\n", mig.Version, mig.Name, state); err != nil {
			return err
		}
	}
	return nil
}
