package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// DefaultTable is the name of the history table.
const DefaultTable = "schema_migrations"

// AppliedMigration is one row of the history table.
type AppliedMigration struct {
	Version   int64
	Name      string
	Checksum  string
	AppliedAt time.Time
}

// History reads and writes the history table.
type History struct {
	db    *sql.DB
	table string
}

// NewHistory returns a History on table (DefaultTable when empty).
func NewHistory(db *sql.DB, table string) *History {
	if table == "" {
		table = DefaultTable
	}
	return &History{db: db, table: table}
}

// Ensure creates the history table if it does not exist.
func (h *History) Ensure(ctx context.Context) error {
	_, err := h.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+h.table+
		" (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMP)")
	return err
}

// Applied returns the applied migrations keyed by version.
func (h *History) Applied(ctx context.Context) (map[int64]AppliedMigration, error) {
	rows, err := h.db.QueryContext(ctx, "SELECT version, name, checksum, applied_at FROM "+h.table)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("migrate: read %s: %w", h.table, err)
	}
	out := make(map[int64]AppliedMigration)
	for rows.Next() {
		var a AppliedMigration
		if err := rows.Scan(&a.Version, &a.Name, &a.Checksum, &a.AppliedAt); err != nil {
			return nil, err
		}
		out[a.Version] = a
	}
	return out, rows.Err()
}

// Latest returns the highest applied version, 0 when none is.
func (h *History) Latest(ctx context.Context) (int64, error) {
	applied, err := h.Applied(ctx)
	if err != nil {
		return 0, err
	}
	var latest int64
	for v := range applied {
		if v > latest {
			latest = v
		}
	}
	return latest, nil
}

// Repair rewrites the stored checksum of a migration that was edited on
// purpose after it was applied (a comment fix, say).
func (h *History) Repair(ctx context.Context, m Migration) error {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE "+h.table+" SET checksum = ? WHERE version = ?", m.Checksum(), m.Version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("migrate: %s is not applied", m)
	}
	return tx.Commit()
}

func (h *History) record(ctx context.Context, tx *sql.Tx, m Migration) error {
	_, err := tx.ExecContext(ctx,
		"INSERT INTO "+h.table+" (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
		m.Version, m.Name, m.Checksum(), time.Now().UTC())
	return err
}

func (h *History) forget(ctx context.Context, tx *sql.Tx, version int64) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM "+h.table+" WHERE version = ?", version)
	return err
}

// Diff returns the versions applied in h but not in other, e.g. what
// production has that staging lacks.
func (h *History) Diff(ctx context.Context, other *History) ([]int64, error) {
	rows, err := h.db.QueryContext(ctx, "SELECT version FROM "+h.table)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // HAZ defer-eager-evaluation
	mine, err := scanVersions(rows)
	if err != nil {
		return nil, err
	}
	rows, err = other.db.QueryContext(ctx, "SELECT version FROM "+other.table)
	if err != nil {
		return nil, err
	}
	theirs, err := scanVersions(rows)
	if err != nil {
		return nil, err
	}
	var missing []int64
	for v := range mine {
		if !theirs[v] {
			missing = append(missing, v)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	return missing, nil
}

// scanVersions reads a one-column result of versions.
func scanVersions(rows *sql.Rows) (map[int64]bool, error) {
	out := make(map[int64]bool)
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}
