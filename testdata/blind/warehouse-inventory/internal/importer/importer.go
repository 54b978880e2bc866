package importer

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/inventory/internal/stock"
)

// Importer applies CSV stock files to a store.
type Importer struct {
	// RejectLog, if set, receives one line per rejected row.
	RejectLog string
	// DoneDir receives files that ImportAndArchive has applied.
	DoneDir string
	// OnFileDone, if set, is told about every file ImportTracked finished.
	OnFileDone func(path string)

	store  *stock.Store
	logger *log.Logger
	stats  Stats
}

// New returns an importer that writes into store.
func New(store *stock.Store, logger *log.Logger) *Importer {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Importer{store: store, logger: logger}
}

// Stats returns the importer's counters.
func (imp *Importer) Stats() StatsSnapshot { return imp.stats.Snapshot() }

// apply books rows as goods receipts and returns how many were applied.
func (imp *Importer) apply(rows []Row) int {
	n := 0
	for _, r := range rows {
		w := imp.store.Ensure(r.Warehouse)
		if r.Qty > 0 {
			if err := w.Receive(r.SKU, r.Qty); err != nil {
				imp.logger.Printf("import: %s/%s: %v", r.Warehouse, r.SKU, err)
				continue
			}
		}
		if r.Reorder > 0 {
			if err := w.SetReorderPoint(r.SKU, r.Reorder); err != nil {
				imp.logger.Printf("import: reorder %s/%s: %v", r.Warehouse, r.SKU, err)
			}
		}
		n++
	}
	return n
}

// importReader parses and applies one CSV stream named name.
func (imp *Importer) importReader(name string, r io.Reader) (int, error) {
	rows, rejects, err := ReadRows(r)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if err := imp.writeRejects(name, rejects); err != nil {
		imp.logger.Printf("import: cannot log %d rejects of %s: %v", len(rejects), name, err)
	}
	n := imp.apply(rows)
	imp.stats.add(1, n, len(rejects))
	return n, nil
}

// ImportFile imports one CSV file.
func (imp *Importer) ImportFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return imp.importReader(path, f)
}

// readFile parses a CSV file without applying it; any reject is an error.
func (imp *Importer) readFile(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, rejects, err := ReadRows(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rejects) > 0 {
		return rows, fmt.Errorf("%s: %d rejected rows, first: %w", path, len(rejects), rejects[0])
	}
	return rows, nil
}

// writeRejects appends rejected rows to the reject log that ops fix by hand.
func (imp *Importer) writeRejects(src string, rejects []RowError) error {
	if imp.RejectLog == "" || len(rejects) == 0 {
		return nil
	}
	f, err := os.OpenFile(imp.RejectLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, r := range rejects {
		if _, err := fmt.Fprintf(f, "%s\t%s\t%d\t%v\n", stamp, src, r.Line, r.Err); err != nil {
			return err
		}
	}
	return nil
}

// ImportDir imports every *.csv file in dir in name order.
func (imp *Importer) ImportDir(dir string) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return 0, err
	}
	sort.Strings(paths)
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := imp.importReader(p, f)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ImportFiles imports paths one after the other; each file is closed before
// the next one is opened.
func (imp *Importer) ImportFiles(paths []string) (int, error) {
	defer timed(imp.logger, fmt.Sprintf("import of %d files", len(paths)))()
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return imp.importReader(p, f)
		}()
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ImportTracked imports one file and reports it to the OnFileDone hook.
func (imp *Importer) ImportTracked(path string) (int, error) {
	defer imp.OnFileDone(path) // HAZ defer-nil-func
	return imp.ImportFile(path)
}

// ImportNotify imports one file and reports it to the OnFileDone hook, if
// one is installed.
func (imp *Importer) ImportNotify(path string) (int, error) {
	if hook := imp.OnFileDone; hook != nil {
		defer hook(path)
	}
	return imp.ImportFile(path)
}

// ImportGuarded imports paths concurrently and turns a panic in the importer
// into an error instead of a crash of the nightly job.
func (imp *Importer) ImportGuarded(paths []string) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("import: panic: %v", r)
		}
	}()
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, p := range paths {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			k, err := imp.ImportFile(p)
			if err != nil {
				imp.logger.Printf("import: %v", err)
			}
			total.Add(int64(k))
		}()
	}
	wg.Wait()
	return int(total.Load()), nil
}

// StreamRows parses paths concurrently and streams their rows.
func (imp *Importer) StreamRows(paths []string) <-chan Row {
	out := make(chan Row, 256)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			rows, err := imp.readFile(p)
			if err != nil {
				imp.logger.Printf("import: %v", err)
				return
			}
			for _, r := range rows {
				out <- r
			}
		}()
	}
	return out
}

// StreamAll parses paths concurrently and streams their rows; the channel is
// closed by a separate goroutine once every parser has finished.
func (imp *Importer) StreamAll(paths []string) <-chan Row {
	out := make(chan Row, 256)
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := imp.readFile(p)
			if err != nil {
				imp.logger.Printf("import: %v", err)
				return
			}
			for _, r := range rows {
				out <- r
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// CountRows returns the number of data rows in a CSV file (plain or .gz), for
// progress reporting.
func CountRows(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var src io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		defer zr.Close() // HAZ defer-before-error-check
		if err != nil {
			return 0, err
		}
		src = zr
	}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	n := 0
	for {
		_, err := cr.Read()
		if err == io.EOF {
			return max(n-1, 0), nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

// importCounted imports path and adds its row count to total.
func (imp *Importer) importCounted(path string, total *atomic.Int64) error {
	n, err := imp.ImportFile(path)
	total.Add(int64(n))
	return err
}

// ImportParallel imports files concurrently and stops launching new work once
// ctx is cancelled.
func (imp *Importer) ImportParallel(ctx context.Context, paths []string) (int, error) {
	var wg sync.WaitGroup
	var total atomic.Int64
	errs := make([]error, len(paths))
	var i int
	for i = 0; i < len(paths) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = imp.importCounted(paths[i], &total) }() // HAZ loop-var-capture
	}
	wg.Wait()
	if i < len(paths) {
		errs = append(errs, fmt.Errorf("import: cancelled after launching %d of %d files: %w", i, len(paths), ctx.Err()))
	}
	return int(total.Load()), errors.Join(errs...)
}

// ImportConcurrently imports each file in its own goroutine.
func (imp *Importer) ImportConcurrently(paths []string) (int, error) {
	var wg sync.WaitGroup
	var total atomic.Int64
	errc := make(chan error, len(paths))
	for _, p := range paths {
		wg.Add(1)
		go func() {
			n, err := imp.ImportFile(p)
			if err != nil {
				errc <- fmt.Errorf("%s: %w", p, err)
				return
			}
			total.Add(int64(n))
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return int(total.Load()), errors.Join(errs...)
}

// ImportBatches applies pre-parsed batches concurrently, one goroutine per
// batch, and returns the number of rows applied.
func (imp *Importer) ImportBatches(batches [][]Row) int {
	var wg sync.WaitGroup
	counts := make([]int, len(batches))
	for i := 0; i < len(batches); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = imp.apply(batches[i])
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// ImportWithTimeout imports path but stops waiting after d so that one stuck
// NFS file does not hold up the nightly run.
func (imp *Importer) ImportWithTimeout(path string, d time.Duration) (int, error) {
	type result struct {
		n   int
		err error
	}
	done := make(chan result)
	go func() { n, err := imp.ImportFile(path); done <- result{n, err} }() // HAZ goroutine-blocked-send
	select {
	case res := <-done:
		return res.n, res.err
	case <-time.After(d):
		return 0, fmt.Errorf("import: %s still running after %v", path, d)
	}
}

// ImportWithDeadline is ImportWithTimeout with a result channel that has
// room for the one send, so an abandoned import can still finish and exit.
func (imp *Importer) ImportWithDeadline(path string, d time.Duration) (int, error) {
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := imp.ImportFile(path)
		done <- result{n, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case res := <-done:
		return res.n, res.err
	case <-timer.C:
		return 0, fmt.Errorf("import: %s still running after %v", path, d)
	}
}
