package sqlrepo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one forward schema change.
type Migration struct {
	Version int
	Name    string
	Up      string
}

// Migrator applies migrations and records them in a version table.
type Migrator struct {
	db       *sql.DB
	table    string
	lockName string
	logf     func(string, ...any)
}

// NewMigrator returns a Migrator that records versions in table.
func NewMigrator(db *sql.DB, table string, logf func(string, ...any)) *Migrator {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Migrator{db: db, table: table, lockName: "migrate:" + table, logf: logf}
}

// LoadDir reads migrations named like 0001_create_users.sql from dir.
func LoadDir(dir string) ([]Migration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var migs []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".sql" {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		if !ok {
			return nil, fmt.Errorf("migrate: bad file name %q", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migrate: bad version in %q: %w", name, err)
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		migs = append(migs, Migration{Version: v, Name: rest, Up: string(body)})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].Version < migs[j].Version })
	return migs, nil
}

func (m *Migrator) ensureTable(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+m.table+
		` (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`)
	return err
}

func (m *Migrator) applied(ctx context.Context, conn *sql.Conn) (map[int]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT version FROM `+m.table)
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

// Up applies every migration that has not been applied yet, in version
// order, holding a named lock so that only one instance migrates at a time.
func (m *Migrator) Up(ctx context.Context, migs []Migration) (n int, err error) {
	conn, err := m.db.Conn(ctx)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	err = m.withLock(ctx, conn, func() error {
		if err := m.ensureTable(ctx, conn); err != nil {
			return err
		}
		done, err := m.applied(ctx, conn)
		if err != nil {
			return err
		}
		for _, mig := range migs {
			if done[mig.Version] {
				continue
			}
			if err := m.applyOne(ctx, conn, mig); err != nil {
				return fmt.Errorf("migration %d %s: %w", mig.Version, mig.Name, err)
			}
			m.logf("migrate: applied %d %s", mig.Version, mig.Name)
			n++
		}
		return nil
	})
	return n, err
}

// withLock runs fn while holding the migration lock on conn.
func (m *Migrator) withLock(ctx context.Context, conn *sql.Conn, fn func() error) error {
	if _, err := conn.ExecContext(ctx, `SELECT GET_LOCK(?, 60)`, m.lockName); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() { // HAZ defer-blocking-call
		if _, err := conn.ExecContext(context.Background(), `SELECT RELEASE_LOCK(?)`, m.lockName); err != nil {
			m.logf("migrate: release lock: %v", err)
		}
	}()
	return fn()
}

// applyOne runs one migration and records it, in a transaction.
func (m *Migrator) applyOne(ctx context.Context, conn *sql.Conn, mig Migration) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return tx.Rollback()
		}
		return tx.Commit()
	}()
	if _, err = tx.ExecContext(ctx, mig.Up); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO `+m.table+` (version, name, applied_at) VALUES (?, ?, ?)`,
		mig.Version, mig.Name, time.Now().UTC())
	return err
}

// Version returns the highest applied version, or 0.
func (m *Migrator) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := m.db.QueryRowContext(ctx, `SELECT MAX(version) FROM `+m.table).Scan(&v)
	if err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// MarkApplied records versions as applied without running them, for
// databases that were created from a schema dump. The lock is released with
// its own deadline even if ctx is already cancelled.
func (m *Migrator) MarkApplied(ctx context.Context, migs []Migration) (err error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	if _, err := conn.ExecContext(ctx, `SELECT GET_LOCK(?, 60)`, m.lockName); err != nil {
		return err
	}
	defer func() { // ok: bounded by its own timeout
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, rerr := conn.ExecContext(rctx, `SELECT RELEASE_LOCK(?)`, m.lockName); rerr != nil {
			m.logf("migrate: release lock: %v", rerr)
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+m.table+` (version, name, applied_at) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	now := time.Now().UTC()
	for _, mig := range migs {
		if _, err := stmt.ExecContext(ctx, mig.Version, mig.Name, now); err != nil {
			return fmt.Errorf("mark %d: %w", mig.Version, err)
		}
	}
	return tx.Commit()
}
