package store

import (
	"fmt"
	"os"

	"example.com/up11/internal/metrics"
)

// Exporter writes records out and counts what it wrote. The counter set is
// embedded, so Add and Snapshot are promoted onto *Exporter.
type Exporter[T any] struct {
	*metrics.Counters[string]
	header []string
	enc    func(T) []string
	pub    metrics.Publisher[string]
}

// NewExporter returns an exporter publishing its counters to pub.
func NewExporter[T any](header []string, enc func(T) []string, pub metrics.Publisher[string]) *Exporter[T] {
	return &Exporter[T]{Counters: metrics.NewCounters[string](), header: header, enc: enc, pub: pub}
}

// Export writes rows as CSV and publishes the export counters.
func (e *Exporter[T]) Export(path string, rows []T) error {
	defer e.Snapshot().Publish(e.pub) // HAZ defer-call-chain
	e.Add("exports", 1)
	if err := WriteCSV(path, e.header, rows, e.enc); err != nil {
		e.Add("export_errors", 1)
		return fmt.Errorf("exporter: %w", err)
	}
	e.Add("rows", int64(len(rows)))
	return nil
}

// ExportGz is Export with the snapshot taken inside the deferred literal,
// after the counters were updated.
func (e *Exporter[T]) ExportGz(path string, rows []T) error {
	defer func() { e.Snapshot().Publish(e.pub) }()
	e.Add("exports", 1)
	if err := ExportCSVGz(path, e.header, rows, e.enc); err != nil {
		e.Add("export_errors", 1)
		return fmt.Errorf("exporter: %w", err)
	}
	e.Add("rows", int64(len(rows)))
	return nil
}

// ExportJSON writes rows to a temp file and installs it over path.
func (e *Exporter[T]) ExportJSON(path string, rows []T) error {
	tmp := path + ".tmp"
	err := WriteJSON(tmp, rows)
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			if rerr := os.Rename(tmp, path); rerr != nil {
				err = fmt.Errorf("exporter: install %s: %w", path, rerr)
			}
		}
	}()
	if err != nil {
		return fmt.Errorf("exporter: %w", err)
	}
	e.Add("json_exports", 1)
	return err
}

// ExportJSONNamed is ExportJSON with a named result, so the install error
// set by the deferred literal reaches the caller.
func (e *Exporter[T]) ExportJSONNamed(path string, rows []T) (err error) {
	tmp := path + ".tmp"
	if err := WriteJSON(tmp, rows); err != nil {
		return fmt.Errorf("exporter: %w", err)
	}
	defer func() {
		if err == nil {
			if rerr := os.Rename(tmp, path); rerr != nil {
				err = fmt.Errorf("exporter: install %s: %w", path, rerr)
			}
		}
	}()
	e.Add("json_exports", 1)
	return nil
}
