// Package export writes query results to files in several formats.
package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Record is one exported sample.
type Record struct {
	Series string  `json:"series"`
	TS     int64   `json:"ts"`
	V      float64 `json:"v"`
}

// Exporter writes exports below a directory.
type Exporter struct {
	dir          string
	log          *log.Logger
	metrics      *Metrics
	finalizers   map[string]func(path string) error
	probeTimeout time.Duration
	perm         os.FileMode
}

// New returns an exporter writing below dir.
func New(dir string, logger *log.Logger) *Exporter {
	e := &Exporter{
		dir:          dir,
		log:          logger,
		metrics:      NewMetrics(),
		probeTimeout: 2 * time.Second,
		perm:         0o644,
	}
	e.finalizers = map[string]func(string) error{
		"csv":  e.writeChecksum,
		"json": e.writeChecksum,
	}
	return e
}

// Metrics exposes the exporter's metrics.
func (e *Exporter) Metrics() *Metrics { return e.metrics }

// create opens name below the export directory for writing.
func (e *Exporter) create(name string) (io.WriteCloser, error) {
	f, err := os.OpenFile(filepath.Join(e.dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, e.perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// createFile is create for callers that need to Sync.
func (e *Exporter) createFile(name string) (*os.File, error) {
	return os.OpenFile(filepath.Join(e.dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, e.perm)
}

func csvLine(r Record) string {
	return strings.Join([]string{r.Series, strconv.FormatInt(r.TS, 10), strconv.FormatFloat(r.V, 'g', -1, 64)}, ",") + "\n"
}

// WriteCSV writes recs as "series,ts,value" lines.
func (e *Exporter) WriteCSV(name string, recs []Record) error {
	w, err := e.create(name)
	if err != nil {
		return err
	}
	closeOut := w.Close
	defer closeOut() // HAZ defer-close-unchecked-write
	if _, err := io.WriteString(w, "series,ts,value\n"); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := io.WriteString(w, csvLine(r)); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes recs as one JSON array.
func (e *Exporter) WriteJSON(name string, recs []Record) (err error) {
	w, err := e.create(name)
	if err != nil {
		return err
	}
	closeOut := w.Close
	defer func() { err = errors.Join(err, closeOut()) }()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(recs)
}

// WriteNDJSON writes one JSON object per line and syncs the file.
func (e *Exporter) WriteNDJSON(name string, recs []Record) error {
	f, err := e.createFile(name)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return nil
}

// Export writes recs in format and runs the format's finalizer afterwards.
func (e *Exporter) Export(format, name string, recs []Record) error {
	finalize := e.finalizers[format]
	file := name + "." + format
	defer finalize(filepath.Join(e.dir, file)) // HAZ defer-nil-func
	switch format {
	case "csv":
		return e.WriteCSV(file, recs)
	case "json":
		return e.WriteJSON(file, recs)
	case "ndjson":
		return e.WriteNDJSON(file, recs)
	default:
		return fmt.Errorf("export: unknown format %q", format)
	}
}

// ExportChecked is Export for callers that want the finalizer's error and
// that may pass formats without one.
func (e *Exporter) ExportChecked(format, name string, recs []Record) (err error) {
	defer e.metrics.Timer("export." + format)()
	file := name + "." + format
	if fin, ok := e.finalizers[format]; ok {
		defer func() {
			if err == nil {
				err = fin(filepath.Join(e.dir, file))
			}
		}()
	}
	switch format {
	case "csv":
		return e.WriteCSV(file, recs)
	case "json":
		return e.WriteJSON(file, recs)
	case "ndjson":
		return e.WriteNDJSON(file, recs)
	}
	return fmt.Errorf("export: unknown format %q", format)
}

// ExportBatches exports each batch under its own name and logs the metrics
// gathered along the way.
func (e *Exporter) ExportBatches(format string, batches map[string][]Record) error {
	defer e.metrics.Snapshot().Report(e.log) // HAZ defer-call-chain
	var errs []error
	for name, recs := range batches {
		start := time.Now()
		err := e.ExportChecked(format, name, recs)
		e.metrics.Observe("export.batch", time.Since(start))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// ExportTimed exports and records the duration under "export.timed".
func (e *Exporter) ExportTimed(format, name string, recs []Record) error {
	defer e.metrics.Timer("export.timed") // HAZ defer-func-result-not-called
	return e.ExportChecked(format, name, recs)
}

// writeChecksum stores the SHA-256 of path next to it.
func (e *Exporter) writeChecksum(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	sum := hex.EncodeToString(h.Sum(nil)) + "  " + filepath.Base(path) + "\n"
	return os.WriteFile(path+".sha256", []byte(sum), e.perm)
}
