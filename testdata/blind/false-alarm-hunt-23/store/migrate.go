package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one schema change, loaded from NNNN_name.up.sql and the
// matching .down.sql.
type Migration struct {
	Version int
	Name    string
	Up      string
	Down    string
}

// Progress receives migration events, e.g. for a progress bar.
type Progress interface {
	Started(version int, name string)
	Finished(version int, at time.Time)
}

type logProgress struct{ l *log.Logger }

func (p logProgress) Started(v int, name string) { p.l.Printf("migrate: %04d %s ...", v, name) }
func (p logProgress) Finished(v int, at time.Time) {
	p.l.Printf("migrate: %04d done at %s", v, at.Format(time.RFC3339))
}

// Migrator applies migrations.
type Migrator struct {
	db        *sql.DB
	log       *log.Logger
	progress  Progress
	lockTable bool
}

// NewMigrator returns a Migrator; lockTable serialises concurrent runs with
// a server-side advisory lock.
func NewMigrator(db *sql.DB, logger *log.Logger, lockTable bool) *Migrator {
	if logger == nil {
		logger = log.Default()
	}
	return &Migrator{db: db, log: logger, progress: logProgress{logger}, lockTable: lockTable}
}

// LoadMigrations reads the migration files of dir, ordered by version.
func LoadMigrations(dir string) ([]Migration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		v, name, dirn, ok := parseMigrationName(e.Name())
		if !ok {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &Migration{Version: v, Name: name}
			byVersion[v] = m
		}
		if dirn == "up" {
			m.Up = string(body)
		} else {
			m.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// parseMigrationName splits "0007_add_index.up.sql".
func parseMigrationName(file string) (version int, name, direction string, ok bool) {
	base, found := strings.CutSuffix(file, ".sql")
	if !found {
		return 0, "", "", false
	}
	base, direction, found = strings.Cut(base, ".")
	if !found || (direction != "up" && direction != "down") {
		return 0, "", "", false
	}
	num, name, found := strings.Cut(base, "_")
	if !found {
		return 0, "", "", false
	}
	version, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", "", false
	}
	return version, name, direction, true
}

// acquireLock takes the migrations advisory lock on a dedicated connection.
// The returned release is non-nil whenever err is nil; it unlocks with its
// own bounded context.
func (m *Migrator) acquireLock(ctx context.Context) (release func(), err error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "LOCK schema_migrations"); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "UNLOCK schema_migrations"); err != nil {
			m.log.Printf("migrate: unlock: %v", err)
		}
		if err := conn.Close(); err != nil {
			m.log.Printf("migrate: closing lock connection: %v", err)
		}
	}, nil
}

// Run applies every pending migration in order.
func (m *Migrator) Run(ctx context.Context, migs []Migration) error {
	var release func()
	if m.lockTable {
		r, err := m.acquireLock(ctx)
		if err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	pending, err := m.Pending(ctx, migs)
	if err != nil {
		return err
	}
	for _, mig := range pending {
		if err := m.applyOne(ctx, mig); err != nil {
			return fmt.Errorf("migrate: %04d %s: %w", mig.Version, mig.Name, err)
		}
	}
	return nil
}

// Revert rolls back applied migrations newer than target, newest first.
func (m *Migrator) Revert(ctx context.Context, migs []Migration, target int) error {
	release := func() {}
	if m.lockTable {
		r, err := m.acquireLock(ctx)
		if err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		release = r
	}
	defer release()
	applied, err := m.appliedVersions(ctx)
	if err != nil {
		return err
	}
	for i := len(migs) - 1; i >= 0; i-- {
		mig := migs[i]
		if mig.Version <= target || !applied[mig.Version] {
			continue
		}
		if err := m.revertOne(ctx, mig); err != nil {
			return fmt.Errorf("migrate: revert %04d: %w", mig.Version, err)
		}
	}
	return nil
}

func (m *Migrator) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := m.db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// Pending filters migs down to those not applied yet.
func (m *Migrator) Pending(ctx context.Context, migs []Migration) ([]Migration, error) {
	applied, err := m.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, mig := range migs {
		if !applied[mig.Version] {
			out = append(out, mig)
		}
	}
	return out, nil
}

// applyOne runs one up migration and records it, in one transaction.
func (m *Migrator) applyOne(ctx context.Context, mig Migration) (err error) {
	m.progress.Started(mig.Version, mig.Name)
	defer m.progress.Finished(mig.Version, time.Now()) // HAZ defer-eager-evaluation
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
	if _, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", mig.Version, mig.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// MarkBaseline records mig as applied without running it, for databases
// restored from a dump that already contains its changes.
func (m *Migrator) MarkBaseline(ctx context.Context, mig Migration) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return errors.Join(err, tx.Rollback())
		}
		return tx.Commit()
	}()
	_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", mig.Version, mig.Name)
	return err
}

// revertOne runs one down migration and forgets it, in one transaction.
func (m *Migrator) revertOne(ctx context.Context, mig Migration) error {
	if mig.Down == "" {
		return fmt.Errorf("migration %04d has no down script", mig.Version)
	}
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, mig.Down); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = ?", mig.Version); err != nil {
		return err
	}
	return tx.Commit()
}
