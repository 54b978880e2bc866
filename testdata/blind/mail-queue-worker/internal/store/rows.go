package store

import (
	"context"
	"fmt"
	"time"
)

// Result reports what an Exec changed.
type Result struct {
	affected int64
}

// RowsAffected mirrors sql.Result.
func (r Result) RowsAffected() (int64, error) { return r.affected, nil }

// Rows iterates over a query result.
type Rows struct {
	cols   []string
	data   [][]any
	pos    int
	cur    []any
	closed bool
	err    error
}

// Next advances to the next row.
func (r *Rows) Next() bool {
	if r.closed || r.pos >= len(r.data) {
		r.cur = nil
		return false
	}
	r.cur = r.data[r.pos]
	r.pos++
	return true
}

// Scan copies the current row into dest.
func (r *Rows) Scan(dest ...any) error {
	if r.cur == nil {
		return fmt.Errorf("store: Scan called without calling Next")
	}
	if len(dest) != len(r.cur) {
		return fmt.Errorf("store: expected %d destination arguments in Scan, not %d", len(r.cur), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, r.cur[i]); err != nil {
			return fmt.Errorf("store: column %s: %w", r.cols[i], err)
		}
	}
	return nil
}

// Err returns the error, if any, that was encountered during iteration.
func (r *Rows) Err() error { return r.err }

// Close releases the result set. It is safe to call more than once.
func (r *Rows) Close() error {
	r.closed = true
	r.data = nil
	return nil
}

func assign(dest, v any) error {
	switch d := dest.(type) {
	case *string:
		s, ok := v.(string)
		if !ok && v != nil {
			s = fmt.Sprint(v)
		}
		*d = s
	case *int:
		switch n := v.(type) {
		case int:
			*d = n
		case int64:
			*d = int(n)
		case nil:
			*d = 0
		default:
			return fmt.Errorf("cannot scan %T into *int", v)
		}
	case *int64:
		switch n := v.(type) {
		case int:
			*d = int64(n)
		case int64:
			*d = n
		case nil:
			*d = 0
		default:
			return fmt.Errorf("cannot scan %T into *int64", v)
		}
	case *[]byte:
		switch b := v.(type) {
		case []byte:
			*d = append((*d)[:0], b...)
		case string:
			*d = []byte(b)
		case nil:
			*d = nil
		default:
			return fmt.Errorf("cannot scan %T into *[]byte", v)
		}
	case *time.Time:
		t, ok := v.(time.Time)
		if !ok && v != nil {
			return fmt.Errorf("cannot scan %T into *time.Time", v)
		}
		*d = t
	case *any:
		*d = v
	default:
		return fmt.Errorf("unsupported Scan destination %T", dest)
	}
	return nil
}

// Row is the result of QueryRowContext.
type Row struct {
	rows *Rows
	err  error
}

// Scan copies the first row into dest, or returns ErrNoRows.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		return ErrNoRows
	}
	return r.rows.Scan(dest...)
}

// Tx is an open transaction holding the writer slot.
type Tx struct {
	db       *DB
	readOnly bool
	undo     []func()
	done     bool
}

// ExecContext applies a write inside the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (Result, error) {
	if tx.done {
		return Result{}, ErrTxDone
	}
	if tx.readOnly {
		return Result{}, fmt.Errorf("store: write in read-only transaction")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	st, err := parse(query)
	if err != nil {
		return Result{}, err
	}
	res, undo, err := tx.db.apply(st, args)
	if err != nil {
		return Result{}, err
	}
	tx.undo = append(tx.undo, undo)
	return res, nil
}

// QueryContext reads inside the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	if tx.done {
		return nil, ErrTxDone
	}
	return tx.db.QueryContext(ctx, query, args...)
}

// Commit makes the transaction's writes permanent and frees the writer slot.
func (tx *Tx) Commit() error {
	if tx.done {
		return ErrTxDone
	}
	tx.finish(false)
	return nil
}

// Rollback undoes the transaction's writes and frees the writer slot.
// After Commit it is a no-op returning ErrTxDone, so it is safe to defer.
func (tx *Tx) Rollback() error {
	if tx.done {
		return ErrTxDone
	}
	for i := len(tx.undo) - 1; i >= 0; i-- {
		tx.undo[i]()
	}
	tx.finish(true)
	return nil
}

func (tx *Tx) finish(rolledBack bool) {
	tx.done = true
	tx.undo = nil
	tx.db.mu.Lock()
	tx.db.stats.OpenTx--
	if rolledBack {
		tx.db.stats.RolledBack++
	} else {
		tx.db.stats.Committed++
	}
	tx.db.mu.Unlock()
	<-tx.db.writer
}
