// Package batch inserts many rows efficiently: buffered inserters with
// prepared statements, multi-row chunks, parallel loads and table copies.
package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Inserter buffers rows and writes them in batches, one transaction each.
type Inserter struct {
	db       *sql.DB
	table    string
	cols     []string
	size     int
	pending  [][]any
	inserted int64
}

// NewInserter returns an Inserter that flushes every size rows.
func NewInserter(db *sql.DB, table string, cols []string, size int) (*Inserter, error) {
	if table == "" || len(cols) == 0 {
		return nil, errors.New("batch: table and columns are required")
	}
	if size <= 0 {
		size = 100
	}
	return &Inserter{db: db, table: table, cols: cols, size: size}, nil
}

func (b *Inserter) insertSQL() string {
	return multiRowInsert(b.table, b.cols, 1)
}

// Add buffers one row and flushes when the batch is full.
func (b *Inserter) Add(ctx context.Context, vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("batch: got %d values for %d columns", len(vals), len(b.cols))
	}
	b.pending = append(b.pending, vals)
	if len(b.pending) >= b.size {
		return b.Flush(ctx)
	}
	return nil
}

// Flush writes the buffered rows in one transaction.
func (b *Inserter) Flush(ctx context.Context) (err error) {
	if len(b.pending) == 0 {
		return nil
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	stmt, err := tx.PrepareContext(ctx, b.insertSQL())
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, row := range b.pending {
		if _, err = stmt.ExecContext(ctx, row...); err != nil {
			return fmt.Errorf("batch: row %d: %w", i, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	b.inserted += int64(len(b.pending))
	b.pending = b.pending[:0]
	return nil
}

// Inserted returns the number of rows written so far.
func (b *Inserter) Inserted() int64 {
	return b.inserted
}

// Pending returns the number of buffered rows.
func (b *Inserter) Pending() int {
	return len(b.pending)
}

// LoadRows writes rows straight through one prepared statement, without
// buffering.
func (b *Inserter) LoadRows(ctx context.Context, rows [][]any) error {
	stmt, err := b.db.PrepareContext(ctx, b.insertSQL())
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if cerr := stmt.Close(); cerr != nil {
			return fmt.Errorf("batch: close statement: %w", cerr)
		}
		return nil
	}()
	for i, row := range rows {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return fmt.Errorf("batch: row %d: %w", i, err)
		}
	}
	b.inserted += int64(len(rows))
	return nil
}

// LoadRowsChecked is LoadRows reporting the close error through a named
// result.
func (b *Inserter) LoadRowsChecked(ctx context.Context, rows [][]any) (err error) {
	stmt, err := b.db.PrepareContext(ctx, b.insertSQL())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := stmt.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("batch: close statement: %w", cerr))
		}
	}()
	for i, row := range rows {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return fmt.Errorf("batch: row %d: %w", i, err)
		}
	}
	b.inserted += int64(len(rows))
	return nil
}

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// multiRowInsert builds "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)".
func multiRowInsert(table string, cols []string, rows int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	group := placeholders(len(cols))
	for i := 0; i < rows; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(group)
	}
	return sb.String()
}

func flatten(rows [][]any) []any {
	var out []any
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
