package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
)

// ExportAll writes every row of each table as tab-separated lines.
func (s *Store) ExportAll(ctx context.Context, tables []string, w io.Writer) error {
	for _, t := range tables {
		rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+t)
		if err != nil {
			return fmt.Errorf("store: export %s: %w", t, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		if err := writeRows(w, t, rows); err != nil {
			return err
		}
	}
	return nil
}

// ExportEach is ExportAll with one query at a time: each table's rows are
// closed before the next table is read.
func (s *Store) ExportEach(ctx context.Context, tables []string, w io.Writer) error {
	defer s.logger.Printf("store: export of %d tables finished", len(tables))
	for _, t := range tables {
		if err := s.exportTable(ctx, t, w); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) exportTable(ctx context.Context, table string, w io.Writer) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return fmt.Errorf("store: export %s: %w", table, err)
	}
	defer rows.Close()
	return writeRows(w, table, rows)
}

func writeRows(w io.Writer, table string, rows *sql.Rows) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	fields := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: scan %s: %w", table, err)
		}
		for i, v := range vals {
			fields[i] = fmt.Sprint(v)
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\n", table, strings.Join(fields, "\t")); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TableCounts counts the rows of each table. Every iteration runs in its
// own function literal so that its rows and timeout are released before
// the next table.
func (s *Store) TableCounts(ctx context.Context, tables []string) (map[string]int, error) {
	counts := make(map[string]int, len(tables))
	for _, t := range tables {
		err := func() error {
			ctx, cancel := s.withTimeout(ctx)
			defer cancel()
			rows, err := s.db.QueryContext(ctx, "SELECT id FROM "+t)
			if err != nil {
				return err
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			counts[t] = n
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("store: count %s: %w", t, err)
		}
	}
	return counts, nil
}
