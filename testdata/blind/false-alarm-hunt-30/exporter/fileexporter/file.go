// Package fileexporter writes spans as JSON lines to a local file, rotating
// it by size, optionally gzipping rotated backups, and compacting old ones.
package fileexporter

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

var errNotStarted = errors.New("file exporter not started")

// Config configures the exporter.
type Config struct {
	Path          string
	RotateBytes   int64
	MaxBackups    int
	Compress      bool
	FlushInterval time.Duration
}

// Exporter is the file exporter.
type Exporter struct {
	cfg    Config
	obs    *obsreport.Recorder
	logger *log.Logger

	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	written int64

	runner component.Runner
}

// New returns an exporter; the file is opened by Start.
func New(cfg Config, obs *obsreport.Recorder, logger *log.Logger) *Exporter {
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = time.Second
	}
	return &Exporter{cfg: cfg, obs: obs, logger: logger}
}

// Start opens the file and launches the periodic flush.
func (e *Exporter) Start(ctx context.Context, _ component.Host) error {
	if err := os.MkdirAll(filepath.Dir(e.cfg.Path), 0o755); err != nil {
		return err
	}
	e.mu.Lock()
	err := e.openLocked()
	e.mu.Unlock()
	if err != nil {
		return err
	}
	runCtx, err := e.runner.Start(ctx)
	if err != nil {
		return err
	}
	e.runner.Go(runCtx, e.flushLoop)
	return nil
}

// openLocked opens the active file for appending; e.mu must be held.
func (e *Exporter) openLocked() error {
	f, err := os.OpenFile(e.cfg.Path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return errors.Join(err, f.Close())
	}
	e.f, e.w, e.written = f, bufio.NewWriterSize(f, 64<<10), st.Size()
	return nil
}

func (e *Exporter) flushLoop(ctx context.Context) {
	ticker := time.NewTicker(e.cfg.FlushInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := e.Flush(); err != nil {
				e.logger.Printf("fileexporter: periodic flush: %v", err)
			}
		}
	}
}

// Flush writes buffered lines to the file and syncs it.
func (e *Exporter) Flush() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.flushLocked()
}

func (e *Exporter) flushLocked() error {
	if e.w == nil {
		return nil
	}
	if err := e.w.Flush(); err != nil {
		return err
	}
	return e.f.Sync()
}

// ConsumeTraces appends b as one JSON line.
func (e *Exporter) ConsumeTraces(_ context.Context, b pdata.Batch) error {
	line, err := json.Marshal(b)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	err = e.writeLineLocked(line)
	e.obs.EndExport(b.Len(), err)
	return err
}

// Drain writes every batch received from in until it is closed, and returns
// how many were written.
func (e *Exporter) Drain(in <-chan pdata.Batch) (int, error) {
	n := 0
	for b := range in {
		line, err := json.Marshal(b)
		if err != nil {
			return n, err
		}
		err = func() error {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.writeLineLocked(line)
		}()
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// writeLineLocked rotates when the line would overflow the file; e.mu must
// be held.
func (e *Exporter) writeLineLocked(line []byte) error {
	switch {
	case e.w == nil:
		return errNotStarted
	case e.cfg.RotateBytes > 0 && e.written > 0 && e.written+int64(len(line))+1 > e.cfg.RotateBytes:
		if err := e.rotateLocked(); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
	}
	n, err := e.w.Write(append(line, '\n'))
	e.written += int64(n)
	return err
}

// Rotate forces a rotation, e.g. on SIGHUP from logrotate.
func (e *Exporter) Rotate() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.f == nil {
		return errNotStarted
	}
	if err := e.Flush(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	return e.rotateLocked()
}

// rotateLocked moves the active file aside and opens a new one; e.mu must be
// held.
func (e *Exporter) rotateLocked() error {
	if err := e.flushLocked(); err != nil {
		return err
	}
	if err := e.f.Close(); err != nil {
		return err
	}
	e.f, e.w = nil, nil
	backup := e.cfg.Path + "." + time.Now().UTC().Format("20060102T150405.000000")
	if err := os.Rename(e.cfg.Path, backup); err != nil {
		return err
	}
	if err := e.openLocked(); err != nil {
		return err
	}
	if e.cfg.Compress {
		if err := compressFile(backup); err != nil {
			e.logger.Printf("fileexporter: compress %s: %v", backup, err)
		} else if err := os.Remove(backup); err != nil {
			return err
		}
	}
	return e.pruneBackups()
}

// backups lists rotated files, oldest first.
func (e *Exporter) backups() ([]string, error) {
	matches, err := filepath.Glob(e.cfg.Path + ".*")
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

func (e *Exporter) pruneBackups() error {
	if e.cfg.MaxBackups <= 0 {
		return nil
	}
	all, err := e.backups()
	if err != nil || len(all) <= e.cfg.MaxBackups {
		return err
	}
	var errs error
	for _, p := range all[:len(all)-e.cfg.MaxBackups] {
		errs = errors.Join(errs, os.Remove(p))
	}
	return errs
}

// Shutdown stops the flush loop, then flushes and closes the file; every
// error on the way is joined into the result.
func (e *Exporter) Shutdown(ctx context.Context) (err error) {
	err = e.runner.Stop(ctx)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.f == nil {
		return err
	}
	defer func() {
		err = errors.Join(err, e.f.Close())
		e.f, e.w = nil, nil
	}()
	return errors.Join(err, e.flushLocked())
}
