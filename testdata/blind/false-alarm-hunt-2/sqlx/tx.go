package sqlx

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"
)

// WithTx runs fn in a transaction, rolling back on error or panic.
func (d *DB) WithTx(ctx context.Context, opts *sql.TxOptions, fn func(*sql.Tx) error) (err error) {
	tx, err := d.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlx: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p) // ok: re-panic after cleanup
		}
		if err != nil {
			err = errors.Join(err, rollbackErr(tx.Rollback()))
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func rollbackErr(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// InTx is the short form: Rollback after Commit is a harmless no-op.
func (d *DB) InTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // ok: returns ErrTxDone after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// InsertBatch inserts rows with one prepared statement per call.
func (d *DB) InsertBatch(ctx context.Context, table string, cols []string, rows [][]any) error {
	return d.InTx(ctx, func(tx *sql.Tx) error {
		q := insertSQL(table, cols)
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, r := range rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
		}
		return nil
	})
}

// InsertEach inserts each group in its own transaction.
func (d *DB) InsertEach(ctx context.Context, table string, cols []string, groups [][][]any) error {
	for gi, g := range groups {
		if err := func() error {
			tx, err := d.db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback() //nolint:errcheck // ok: inside the per-iteration closure
			for _, r := range g {
				if _, err := tx.ExecContext(ctx, insertSQL(table, cols), r...); err != nil {
					return err
				}
			}
			return tx.Commit()
		}(); err != nil {
			return fmt.Errorf("group %d: %w", gi, err)
		}
	}
	return nil
}

func insertSQL(table string, cols []string) string {
	q := "INSERT INTO " + quoteIdent(table) + " ("
	ph := ""
	for i, c := range cols {
		if i > 0 {
			q += ", "
			ph += ", "
		}
		q += quoteIdent(c)
		ph += "?"
	}
	return q + ") VALUES (" + ph + ")"
}

// ExportCSV writes a query result to a CSV file.
func (d *DB) ExportCSV(ctx context.Context, path, query string) (err error) {
	rows, err := d.db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error joined into the result

	w := csv.NewWriter(f)
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if err := w.Write(cols); err != nil {
		return err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			rec[i] = v.String
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	Up      string
}

// Migrate applies pending migrations in version order.
func (d *DB) Migrate(ctx context.Context, ms []Migration) (applied int, err error) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)`); err != nil {
		return 0, err
	}
	current, err := d.currentVersion(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	defer func() {
		d.logger.Printf("sqlx: %d migrations in %v (err=%v)", applied, time.Since(start), err)
	}()
	for _, m := range ms {
		if m.Version <= current {
			continue
		}
		err = d.WithTx(ctx, nil, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.Up); err != nil {
				return fmt.Errorf("migration %d %s: %w", m.Version, m.Name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?)`, m.Version, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}

func (d *DB) currentVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := d.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// ExecLogged runs a statement and logs its outcome when the call returns.
func (d *DB) ExecLogged(ctx context.Context, query string, args ...any) error {
	var err error
	defer func() { d.logQuery(query, err) }() // ok: err read at exit, not at the defer
	_, err = d.db.ExecContext(ctx, query, args...)
	return err
}

func (d *DB) logQuery(query string, err error) {
	if err != nil {
		d.logger.Printf("sqlx: %q failed: %v", query, err)
		return
	}
	d.logger.Printf("sqlx: %q ok", query)
}

// Truncate empties a table and logs the table name, which never changes.
func (d *DB) Truncate(ctx context.Context, table string) error {
	defer d.logger.Printf("sqlx: truncate %s finished", table) // ok: table is not reassigned
	_, err := d.db.ExecContext(ctx, "DELETE FROM "+quoteIdent(table))
	return err
}
