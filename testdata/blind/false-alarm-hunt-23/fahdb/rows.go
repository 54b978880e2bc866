package fahdb

import (
	"database/sql/driver"
	"fmt"
	"io"
	"strings"

	"example.com/fah23/internal/wire"
)

// Rows holds a fully received result set. Columns arrive as "name:type".
type Rows struct {
	cols   []string
	types  []string
	data   [][]string
	pos    int
	closed bool
}

func newRows(resp []wire.Frame) (*Rows, error) {
	r := &Rows{}
	for _, f := range resp {
		switch f.Kind {
		case wire.KindColumns:
			for _, c := range f.Fields {
				name, typ, _ := strings.Cut(c, ":")
				r.cols = append(r.cols, name)
				r.types = append(r.types, typ)
			}
		case wire.KindRow:
			if len(f.Fields) != len(r.cols) {
				return nil, errProtocol("row")
			}
			r.data = append(r.data, f.Fields)
		}
	}
	return r, nil
}

// Columns implements driver.Rows.
func (r *Rows) Columns() []string { return r.cols }

// ColumnTypeDatabaseTypeName implements driver.RowsColumnTypeDatabaseTypeName.
func (r *Rows) ColumnTypeDatabaseTypeName(index int) (name string) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// Servers older than 2.3 send untyped columns; report no type.
		}
	}()
	return strings.ToUpper(r.types[index])
}

// Close implements driver.Rows. It is idempotent and drops the buffered rows.
func (r *Rows) Close() error {
	r.closed = true
	r.data = nil
	return nil
}

// Next implements driver.Rows. Malformed values from the server must turn
// into an error for this row, not crash the application.
func (r *Rows) Next(dest []driver.Value) (err error) {
	defer func() {
		asError := func() error {
			if p := recover(); p != nil { // HAZ recover-ineffective
				return fmt.Errorf("fahdb: decoding row %d: %v", r.pos, p)
			}
			return nil
		}
		if perr := asError(); perr != nil {
			err = perr
		}
	}()
	if r.closed || r.pos >= len(r.data) {
		return io.EOF
	}
	row := r.data[r.pos]
	r.pos++
	for i := range dest {
		v, err := decodeValue(row[i])
		if err != nil {
			return fmt.Errorf("fahdb: column %s: %w", r.cols[i], err)
		}
		dest[i] = v
	}
	return nil
}
