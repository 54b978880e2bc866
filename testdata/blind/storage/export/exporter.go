package export

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Source enumerates tables and streams their rows.
type Source interface {
	Tables(ctx context.Context) ([]string, error)
	Rows(ctx context.Context, table string, fn func(Record) error) error
}

// Exporter writes one <table>.jsonl.gz per table into dir.
type Exporter struct {
	src      Source
	dir      string
	parallel int
	logf     func(string, ...any)

	// OnDone, if set, is called after each table with its result.
	OnDone func(table string, err error)

	done atomic.Int64
}

// NewExporter returns an Exporter writing into dir.
func NewExporter(src Source, dir string, parallel int, logf func(string, ...any)) *Exporter {
	if parallel < 1 {
		parallel = 1
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Exporter{src: src, dir: dir, parallel: parallel, logf: logf}
}

// Run exports every table of the source and logs progress while it works.
func (e *Exporter) Run(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("export: panic: %v", r)
		}
	}()
	tables, err := e.src.Tables(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go e.reportProgress(ctx, len(tables)) // HAZ goroutine-outside-recover
	return e.ExportAll(ctx, tables)
}

// RunQuiet is Run without the progress reporter.
func (e *Exporter) RunQuiet(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("export: panic: %v", r)
		}
	}()
	tables, err := e.src.Tables(ctx)
	if err != nil {
		return err
	}
	return e.exportSequential(ctx, tables)
}

func (e *Exporter) exportSequential(ctx context.Context, tables []string) error {
	for _, t := range tables {
		if err := e.exportTable(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (e *Exporter) reportProgress(ctx context.Context, total int) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			e.logf("export: %d/%d tables", e.done.Load(), total)
		}
	}
}

// ExportAll exports tables, at most e.parallel at a time.
func (e *Exporter) ExportAll(ctx context.Context, tables []string) error {
	sem := make(chan struct{}, e.parallel)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, t := range tables {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			err := e.exportTable(ctx, t)
			<-sem
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", t, err))
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			e.done.Add(1)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ExportEach exports tables concurrently and reports each result through
// OnDone.
func (e *Exporter) ExportEach(ctx context.Context, tables []string) {
	var wg sync.WaitGroup
	for _, t := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.notify(t, e.exportTableGuarded(ctx, t))
		}()
	}
	wg.Wait()
}

// exportTable writes <dir>/<table>.jsonl.gz through a temp file.
func (e *Exporter) exportTable(ctx context.Context, table string) (err error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	final := filepath.Join(e.dir, table+".jsonl.gz")
	tmp, err := os.CreateTemp(e.dir, table+".*.tmp")
	if err != nil {
		return err
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	gz := gzip.NewWriter(tmp)
	enc := json.NewEncoder(gz)
	if err := e.src.Rows(ctx, table, func(r Record) error { return enc.Encode(r) }); err != nil {
		tmp.Close()
		return err
	}
	if err := gz.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}

// exportTableGuarded turns a panic in the Source into an error.
func (e *Exporter) exportTableGuarded(ctx context.Context, table string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("export %s: source panicked: %v", table, r)
		}
	}()
	return e.exportTable(ctx, table)
}

// exportTableLogged logs a panic in the Source instead of crashing.
func (e *Exporter) exportTableLogged(ctx context.Context, table string) error {
	defer e.panicked(table, recover()) // HAZ recover-ineffective
	return e.exportTable(ctx, table)
}

func (e *Exporter) panicked(table string, r any) {
	if r != nil {
		e.logf("export %s: source panicked: %v", table, r)
	}
}

// ExportLogged exports tables one by one, logging failures.
func (e *Exporter) ExportLogged(ctx context.Context, tables []string) {
	for _, t := range tables {
		if err := e.exportTableLogged(ctx, t); err != nil {
			e.logf("export %s: %v", t, err)
		}
	}
}

// notify calls the OnDone hook; a broken hook must not fail the export.
func (e *Exporter) notify(table string, err error) {
	if e.OnDone == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	e.OnDone(table, err)
}

// encodeAll marshals items concurrently and sends the lines on out.
func (e *Exporter) encodeAll(items []Record, out chan<- []byte) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, it := range items {
		go func() {
			b, err := json.Marshal(it)
			if err != nil {
				e.logf("export: encode: %v", err)
				return
			}
			out <- b
		}()
	}
}

// encodeParallel is encodeAll that waits for its workers before closing.
func (e *Exporter) encodeParallel(items []Record, out chan<- []byte) {
	defer close(out) // ok: wg.Wait below guarantees no sender is left
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := json.Marshal(it)
			if err != nil {
				e.logf("export: encode: %v", err)
				return
			}
			out <- b
		}()
	}
	wg.Wait()
}

// WriteUnordered writes items as JSON lines in whatever order they encode.
func (e *Exporter) WriteUnordered(path string, items []Record) (err error) {
	lines := make(chan []byte, 16)
	go e.encodeAll(items, lines)
	return writeLines(path, lines)
}

// WriteParallel is WriteUnordered built on encodeParallel.
func (e *Exporter) WriteParallel(path string, items []Record) (err error) {
	lines := make(chan []byte, 16)
	go e.encodeParallel(items, lines)
	return writeLines(path, lines)
}

func writeLines(path string, lines <-chan []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		for range lines {
			// drain so the producer can finish
		}
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for b := range lines {
		if err == nil {
			if _, err = bw.Write(b); err == nil {
				err = bw.WriteByte('\n')
			}
		}
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// Job asks for one file to be copied into the export directory.
type Job struct {
	Src  string
	Name string
}

// Worker copies job files into the export directory. It runs for the life
// of the exporter.
func (e *Exporter) Worker(jobs <-chan Job) {
	for job := range jobs {
		in, err := os.Open(job.Src)
		if err != nil {
			e.logf("export: job %s: %v", job.Name, err)
			continue
		}
		defer in.Close() // HAZ defer-in-infinite-loop
		dst := filepath.Join(e.dir, job.Name)
		if err := WriteFileAtomic(dst, 0o644, func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		}); err != nil {
			e.logf("export: job %s: %v", job.Name, err)
		}
	}
}

// CopyWorker is Worker with the per-job file closed before the next job.
func (e *Exporter) CopyWorker(ctx context.Context, jobs <-chan Job) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job, ok := <-jobs:
			if !ok {
				return nil
			}
			if err := CopyFile(filepath.Join(e.dir, job.Name), job.Src); err != nil {
				e.logf("export: job %s: %v", job.Name, err)
			}
		}
	}
}

// Bundle exports tables into a staging directory and packs them into a
// single .tar.gz at dst. The staging directory is removed afterwards.
func (e *Exporter) Bundle(ctx context.Context, tables []string, dst string) error {
	staging, err := os.MkdirTemp(e.dir, "bundle-*")
	if err != nil {
		return err
	}
	err = e.bundleInto(ctx, staging, tables, dst)
	if rerr := os.RemoveAll(staging); rerr != nil { // ok: not deferred
		e.logf("export: remove staging %s: %v", staging, rerr)
	}
	return err
}

func (e *Exporter) bundleInto(ctx context.Context, staging string, tables []string, dst string) error {
	sub := NewExporter(e.src, staging, e.parallel, e.logf)
	if err := sub.ExportAll(ctx, tables); err != nil {
		return err
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t + ".jsonl.gz"
	}
	return WriteTar(dst, staging, names)
}

// ServeBundle builds a bundle of every table and sends it to the client.
func (e *Exporter) ServeBundle(w http.ResponseWriter, r *http.Request) {
	staging, err := os.MkdirTemp("", "bundle-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(staging) // HAZ defer-blocking-call
	tables, err := e.src.Tables(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	archive := filepath.Join(staging, "bundle.tar.gz")
	if err := e.bundleInto(r.Context(), staging, tables, archive); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="bundle.tar.gz"`)
	http.ServeFile(w, r, archive)
}
