package store

import (
	"errors"
	"fmt"
	"strconv"
)

type memRows struct {
	cols   []string
	data   [][]any
	pos    int
	closed bool
}

func (r *memRows) Next() bool {
	if r.closed || r.pos >= len(r.data) {
		return false
	}
	r.pos++
	return true
}

func (r *memRows) Columns() []string { return r.cols }

func (r *memRows) Err() error { return nil }

func (r *memRows) Close() error {
	r.closed = true
	return nil
}

func (r *memRows) Scan(dest ...any) error {
	if r.closed || r.pos == 0 {
		return errors.New("store: Scan called without a successful Next")
	}
	row := r.data[r.pos-1]
	if len(dest) != len(row) {
		return fmt.Errorf("store: Scan of %d columns into %d destinations", len(row), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, row[i]); err != nil {
			return fmt.Errorf("store: column %s: %w", r.cols[i], err)
		}
	}
	return nil
}

// assign converts v into *dest, like database/sql's convertAssign but for
// the handful of types the ETL tool uses.
func assign(dest, v any) error {
	switch d := dest.(type) {
	case *any:
		*d = v
	case *string:
		if v == nil {
			*d = ""
			return nil
		}
		*d = fmt.Sprint(v)
	case *int64:
		switch x := v.(type) {
		case int64:
			*d = x
		case int:
			*d = int64(x)
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return err
			}
			*d = n
		default:
			return fmt.Errorf("cannot scan %T into *int64", v)
		}
	default:
		return fmt.Errorf("unsupported Scan destination %T", dest)
	}
	return nil
}
