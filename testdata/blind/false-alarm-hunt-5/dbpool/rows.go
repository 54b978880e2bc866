package dbpool

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Rows is a result set that owns its connection until Close.
type Rows struct {
	dr     DriverRows
	c      *Conn
	cols   []string
	cur    []any
	err    error
	closed bool
}

// Columns returns the column names.
func (r *Rows) Columns() []string { return r.cols }

// Next advances to the next row; it closes the rows at the end.
func (r *Rows) Next() bool {
	if r.closed {
		return false
	}
	if r.cur == nil {
		r.cur = make([]any, len(r.cols))
	}
	if err := r.dr.Next(r.cur); err != nil {
		if !errors.Is(err, io.EOF) {
			r.err = err
			r.c.markBroken(err)
		}
		r.Close()
		return false
	}
	return true
}

// Scan copies the current row into dest.
func (r *Rows) Scan(dest ...any) error {
	if r.closed {
		return errors.New("dbpool: Scan on closed rows")
	}
	if len(dest) != len(r.cur) {
		return fmt.Errorf("dbpool: expected %d destinations, got %d", len(r.cur), len(dest))
	}
	for i, d := range dest {
		if err := convertAssign(d, r.cur[i]); err != nil {
			return fmt.Errorf("dbpool: column %s: %w", r.cols[i], err)
		}
	}
	return nil
}

// Err returns the error that ended iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the connection; it is safe to call more than once.
func (r *Rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.dr.Close()
	r.c.Release()
	return err
}

// Row is the result of QueryRow.
type Row struct {
	rows *Rows
	err  error
}

// Scan copies the first row into dest and closes the rows. The deferred
// Close is registered only after the query error has been checked.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return ErrNoRows
	}
	return r.rows.Scan(dest...)
}

// convertAssign stores src into the pointer dest.
func convertAssign(dest, src any) error {
	switch d := dest.(type) {
	case *any:
		*d = src
		return nil
	case *string:
		switch s := src.(type) {
		case string:
			*d = s
		case []byte:
			*d = string(s)
		case int64:
			*d = strconv.FormatInt(s, 10)
		default:
			return fmt.Errorf("cannot store %T into *string", src)
		}
		return nil
	case *int64:
		switch s := src.(type) {
		case int64:
			*d = s
		case string:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return err
			}
			*d = n
		default:
			return fmt.Errorf("cannot store %T into *int64", src)
		}
		return nil
	case *int:
		var n int64
		if err := convertAssign(&n, src); err != nil {
			return err
		}
		*d = int(n)
		return nil
	}
	return fmt.Errorf("unsupported destination %T", dest)
}
