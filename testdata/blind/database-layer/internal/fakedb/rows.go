package fakedb

import (
	"database/sql/driver"
	"io"
)

type rows struct {
	cols []string
	data [][]driver.Value
	pos  int
}

func (r *rows) Columns() []string {
	return r.cols
}

func (r *rows) Close() error {
	r.pos = len(r.data)
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.data) {
		return io.EOF
	}
	copy(dest, r.data[r.pos])
	r.pos++
	return nil
}

type result struct {
	lastID   int64
	affected int64
}

func (r result) LastInsertId() (int64, error) {
	return r.lastID, nil
}

func (r result) RowsAffected() (int64, error) {
	return r.affected, nil
}
