package reconcile

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// Discrepancy is a mismatch between ledger and network.
type Discrepancy struct {
	NetworkRef string
	Merchant   string
	Ledger     int64
	Network    int64
	Reason     string
}

var reportHeader = []string{"network_ref", "merchant", "ledger_amount", "network_amount", "reason"}

func (d Discrepancy) record() []string {
	return []string{d.NetworkRef, d.Merchant, strconv.FormatInt(d.Ledger, 10), strconv.FormatInt(d.Network, 10), d.Reason}
}

func writeRecords(cw *csv.Writer, ds []Discrepancy) error {
	if err := cw.Write(reportHeader); err != nil {
		return err
	}
	for _, d := range ds {
		if err := cw.Write(d.record()); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSVReport writes the daily discrepancy report.
func WriteCSVReport(path string, ds []Discrepancy) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	if err := writeRecords(cw, ds); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummary writes the per-merchant totals through a buffered writer; the
// deferred Close only covers error paths, the success path checks Close.
func WriteSummary(path string, totals map[string]int64, merchants []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, m := range merchants {
		if _, err := fmt.Fprintf(bw, "%s\t%d\n", m, totals[m]); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// WriteDiscrepancies streams the report to w (an HTTP response or a file).
func WriteDiscrepancies(w io.Writer, ds []Discrepancy) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	return writeRecords(cw, ds)
}

// EncodeDiscrepancies is WriteDiscrepancies with the flush error checked.
func EncodeDiscrepancies(w io.Writer, ds []Discrepancy) error {
	cw := csv.NewWriter(w)
	if err := writeRecords(cw, ds); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteGzipReport writes a gzip-compressed copy for the archive bucket.
func WriteGzipReport(path string, ds []Discrepancy) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(zw)
	if err := writeRecords(cw, ds); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteArchive writes the gzip archive consumed by the finance team.
func WriteArchive(path string, ds []Discrepancy) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(zw)
	if err := writeRecords(cw, ds); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ExportCompressed is the archive writer with the closes in the right
// order: the gzip footer is written before the file is closed.
func ExportCompressed(path string, ds []Discrepancy) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	cw := csv.NewWriter(zw)
	if err := writeRecords(cw, ds); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ReadArchive decompresses an archive written by ExportCompressed.
func ReadArchive(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return csv.NewReader(zr).ReadAll()
}

// ReportWriter writes a report incrementally; cmd/reconcile keeps it open
// for the whole run.
type ReportWriter struct {
	f  *os.File
	bw *bufio.Writer
	cw *csv.Writer
}

// CreateReport creates the report file and writes the header.
func CreateReport(path string) (*ReportWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(f)
	cw := csv.NewWriter(bw)
	if err := cw.Write(reportHeader); err != nil {
		f.Close()
		return nil, err
	}
	return &ReportWriter{f: f, bw: bw, cw: cw}, nil
}

// WriteAll appends discrepancies.
func (w *ReportWriter) WriteAll(ds []Discrepancy) error {
	for _, d := range ds {
		if err := w.cw.Write(d.record()); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes every layer and closes the file, reporting the first error.
func (w *ReportWriter) Close() error {
	w.cw.Flush()
	err := w.cw.Error()
	err = errors.Join(err, w.bw.Flush())
	return errors.Join(err, w.f.Close())
}
