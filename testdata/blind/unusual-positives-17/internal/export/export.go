// Package export writes pipeline results to files: CSV reports, JSON
// snapshots and gzip-compressed line dumps.
package export

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Exporter writes files below dir. The file constructors are fields so that
// tests can substitute failing ones.
type Exporter struct {
	dir    string
	create func(name string) (*os.File, error)
	open   func(name string) (*os.File, error)
}

// NewExporter returns an exporter rooted at dir.
func NewExporter(dir string) *Exporter {
	return &Exporter{dir: dir, create: os.Create, open: os.Open}
}

// createExclusive creates name, failing if it already exists.
func createExclusive(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
}

// WriteCSV writes a CSV report with a header row.
func WriteCSV(path string, exclusive bool, header []string, rows [][]string) error {
	createFn := os.Create
	if exclusive {
		createFn = createExclusive
	}
	f, err := createFn(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	return w.WriteAll(rows)
}

// WriteLines writes one value per line. The deferred close only covers
// early returns; the success path closes again and returns that error.
func WriteLines(path string, exclusive bool, lines []string) error {
	createFn := os.Create
	if exclusive {
		createFn = createExclusive
	}
	f, err := createFn(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return f.Close()
}

// WriteJSON writes v as indented JSON to name below the export directory,
// joining the close error into the named result.
func (e *Exporter) WriteJSON(name string, v any) (err error) {
	f, err := e.create(filepath.Join(e.dir, name))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ReadCSV reads a CSV file below the export directory. The file is opened
// read-only through the open field.
func (e *Exporter) ReadCSV(name string) ([][]string, error) {
	f, err := e.open(filepath.Join(e.dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}
