package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

func readAll(ctx context.Context, db *sql.DB, table string, cols []string) ([][]any, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// CopyTable copies every row of table from src into the same table of dst.
func CopyTable(ctx context.Context, src, dst *sql.DB, table string, cols []string) (n int, err error) {
	rows, err := readAll(ctx, src, table, cols)
	if err != nil {
		return 0, fmt.Errorf("batch: read %s: %w", table, err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		if _, err = tx.ExecContext(ctx, multiRowInsert(table, cols, end-start), flatten(rows[start:end])...); err != nil {
			return 0, err
		}
	}
	if err = tx.Commit(); err != nil {
		return 0, err
	}
	return len(rows), nil
}

// CloneInto opens the database at dsn and inserts rows into table there.
func CloneInto(ctx context.Context, driverName, dsn, table string, cols []string, rows [][]any) error {
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
	for i, row := range rows {
		if _, err := tx.ExecContext(ctx, multiRowInsert(table, cols, 1), row...); err != nil {
			return fmt.Errorf("batch: clone row %d: %w", i, err)
		}
	}
	return tx.Commit()
}

// CloneIntoOrdered is CloneInto with the pool closed last.
func CloneIntoOrdered(ctx context.Context, driverName, dsn, table string, cols []string, rows [][]any) error {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, row := range rows {
		if _, err := tx.ExecContext(ctx, multiRowInsert(table, cols, 1), row...); err != nil {
			return fmt.Errorf("batch: clone row %d: %w", i, err)
		}
	}
	return tx.Commit()
}
