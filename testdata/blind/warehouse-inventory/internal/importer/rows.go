// Package importer loads stock positions from CSV files dropped by the ERP
// export and by cycle counts.
//
// File layout, header row first:
//
//	warehouse,sku,qty,reorder
package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"sync"

	"example.com/inventory/internal/stock"
)

// Row is one parsed CSV row.
type Row struct {
	Warehouse string
	SKU       stock.SKU
	Qty       int
	Reorder   int
}

// RowError is a row that could not be parsed.
type RowError struct {
	Line int
	Err  error
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// ParseRow parses one record.
func ParseRow(rec []string) (Row, error) {
	if len(rec) < 3 {
		return Row{}, fmt.Errorf("want at least 3 fields, got %d", len(rec))
	}
	wh, sku := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
	if wh == "" || sku == "" {
		return Row{}, errors.New("empty warehouse or SKU")
	}
	qty, err := strconv.Atoi(strings.TrimSpace(rec[2]))
	if err != nil {
		return Row{}, fmt.Errorf("qty: %w", err)
	}
	if qty < 0 {
		return Row{}, fmt.Errorf("negative qty %d", qty)
	}
	r := Row{Warehouse: wh, SKU: stock.SKU(sku), Qty: qty}
	if len(rec) > 3 && strings.TrimSpace(rec[3]) != "" {
		if r.Reorder, err = strconv.Atoi(strings.TrimSpace(rec[3])); err != nil {
			return Row{}, fmt.Errorf("reorder: %w", err)
		}
	}
	return r, nil
}

// ReadRows parses all rows of a CSV stream. Rows that do not parse are
// returned as rejects; I/O and CSV syntax errors stop the read.
func ReadRows(r io.Reader) ([]Row, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var rows []Row
	var rejects []RowError
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, rejects, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "warehouse") {
			continue
		}
		row, err := ParseRow(rec)
		if err != nil {
			rejects = append(rejects, RowError{Line: line, Err: err})
			continue
		}
		rows = append(rows, row)
	}
}

// Stats counts what the importer did since it was created.
type Stats struct {
	mu       sync.Mutex
	files    int
	rows     int
	rejected int
}

// StatsSnapshot is a point-in-time copy of Stats.
type StatsSnapshot struct {
	Files, Rows, Rejected int
}

func (s *Stats) add(files, rows, rejected int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files += files
	s.rows += rows
	s.rejected += rejected
}

// Snapshot copies the counters.
func (s *Stats) Snapshot() StatsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return StatsSnapshot{Files: s.files, Rows: s.rows, Rejected: s.rejected}
}

// Log writes the counters to l.
func (s StatsSnapshot) Log(l *log.Logger) {
	l.Printf("import stats: %d files, %d rows, %d rejected", s.Files, s.Rows, s.Rejected)
}
