package extract

import (
	"context"
	"errors"
	"fmt"

	"example.com/etl/internal/record"
	"example.com/etl/internal/store"
)

// DBSource extracts a whole table.
type DBSource struct {
	DB    store.DB
	Table string
}

// Records reads every row of the table.
func (s *DBSource) Records(ctx context.Context) ([]record.Record, error) {
	rows, err := s.DB.Query(ctx, "SELECT * FROM "+s.Table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanAll(rows)
}

func scanAll(rows store.Rows) ([]record.Record, error) {
	cols := record.Schema(rows.Columns())
	var out []record.Record
	for rows.Next() {
		vals := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec, err := cols.FromValues(vals)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// Count returns the number of rows in the table.
func (s *DBSource) Count(ctx context.Context) (int64, error) {
	rows, err := s.DB.Query(ctx, "SELECT COUNT(*) FROM "+s.Table)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", s.Table, err)
	}
	if !rows.Next() {
		return 0, fmt.Errorf("count %s: no result row", s.Table)
	}
	var n int64
	if err := rows.Scan(&n); err != nil {
		return 0, err
	}
	return n, rows.Err()
}

// Snapshot streams the table to fn from inside a transaction, so that the
// rows come from one consistent state.
func (s *DBSource) Snapshot(ctx context.Context, fn func(record.Record) error) (err error) {
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, store.ErrTxDone) && err == nil {
			err = rerr
		}
	}()
	rows, err := tx.Query(ctx, "SELECT * FROM "+s.Table)
	if err != nil {
		return err
	}
	defer rows.Close()
	recs, err := scanAll(rows)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// CountTables returns the row count of every table, for the run report.
func CountTables(ctx context.Context, db store.DB, tables []string) (map[string]int64, error) {
	counts := make(map[string]int64, len(tables))
	for _, t := range tables {
		rows, err := db.Query(ctx, "SELECT COUNT(*) FROM "+t)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		var n int64
		if rows.Next() {
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
		}
		counts[t] = n
	}
	return counts, nil
}

// Each calls fn for every row of the table without loading the table into
// memory first.
func (s *DBSource) Each(ctx context.Context, fn func(record.Record) error) error {
	rows, err := s.DB.Query(ctx, "SELECT * FROM "+s.Table)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	cols := record.Schema(rows.Columns())
	vals := make([]string, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		rec, err := cols.FromValues(vals)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}
