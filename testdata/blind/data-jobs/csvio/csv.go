// Package csvio reads and writes CSV and JSON-lines record streams.
package csvio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
)

// Record is one row keyed by column name.
type Record map[string]string

// Reader reads header-keyed records from CSV input.
type Reader struct {
	cr     *csv.Reader
	header []string
	line   int
}

// NewReader reads the header row from r.
func NewReader(r io.Reader) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("csvio: missing header row")
		}
		return nil, fmt.Errorf("csvio: header: %w", err)
	}
	return &Reader{cr: cr, header: append([]string(nil), header...), line: 1}, nil
}

// Header returns a copy of the column names.
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// Line returns the number of the last line read.
func (r *Reader) Line() int { return r.line }

// Next returns the next record or io.EOF.
func (r *Reader) Next() (Record, error) {
	row, err := r.cr.Read()
	if err != nil {
		return nil, err
	}
	r.line++
	rec := make(Record, len(r.header))
	for i, name := range r.header {
		if i < len(row) {
			rec[name] = row[i]
		}
	}
	return rec, nil
}

// ReadFile loads every record of a CSV file.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	r, err := NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, r.Line()+1, err)
		}
		out = append(out, rec)
	}
}

// Each calls fn for every record of the CSV file at path.
func Each(path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	r, err := NewReader(f)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// Writer writes header-keyed records as CSV.
type Writer struct {
	cw          *csv.Writer
	header      []string
	wroteHeader bool
}

// NewWriter returns a Writer that emits header before the first record.
func NewWriter(w io.Writer, header []string) *Writer {
	return &Writer{cw: csv.NewWriter(w), header: header}
}

// Write writes one record in header order.
func (w *Writer) Write(rec Record) error {
	if !w.wroteHeader {
		if err := w.cw.Write(w.header); err != nil {
			return err
		}
		w.wroteHeader = true
	}
	row := make([]string, len(w.header))
	for i, name := range w.header {
		row[i] = rec[name]
	}
	return w.cw.Write(row)
}

// Flush flushes buffered rows and reports any write error.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// WriteFile writes records to path, creating or truncating it.
func WriteFile(path string, header []string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := NewWriter(f, header)
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return w.Flush()
}

// AppendRows appends raw rows to a CSV file, creating it if needed.
func AppendRows(path string, rows [][]string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	return cw.WriteAll(rows)
}

// AppendRecords appends records to an existing CSV file without a header.
func AppendRecords(path string, header []string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path closes and checks below
	cw := csv.NewWriter(f)
	row := make([]string, len(header))
	for _, rec := range recs {
		for i, name := range header {
			row[i] = rec[name]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}
