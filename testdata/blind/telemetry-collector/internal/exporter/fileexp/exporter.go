// Package fileexp writes batches as JSON lines to a file that is rotated
// when it exceeds MaxBytes; rotated segments are optionally gzipped in the
// background.
package fileexp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Config configures the exporter.
type Config struct {
	Path       string
	MaxBytes   int64
	Compress   bool
	PostRotate []string // command run with the rotated segment appended
}

// Exporter is the rotating file exporter.
type Exporter struct {
	cfg    Config
	logger *log.Logger

	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	size int64

	compressWG sync.WaitGroup
	segMu      sync.Mutex   // serialises compression and pruning of segments
	busy       atomic.Value // string: maintenance operation in progress
}

// New returns an exporter; the file is opened by Start.
func New(cfg Config, logger *log.Logger) *Exporter {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 64 << 20
	}
	return &Exporter{cfg: cfg, logger: logger}
}

// Start opens (or creates) the current file for appending.
func (e *Exporter) Start(context.Context, component.Host) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.openLocked()
}

func (e *Exporter) openLocked() error {
	if err := os.MkdirAll(filepath.Dir(e.cfg.Path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(e.cfg.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("fileexp: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	e.f, e.w, e.size = f, bufio.NewWriterSize(f, 256<<10), fi.Size()
	return nil
}

// Consume appends b and rotates when the file is too big.
func (e *Exporter) Consume(_ context.Context, b pdata.Batch) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.f == nil {
		return errors.New("fileexp: not started")
	}
	cw := &countingWriter{w: e.w}
	if err := pdata.EncodeJSONL(cw, b); err != nil {
		return err
	}
	e.size += cw.n
	if e.size < e.cfg.MaxBytes {
		return nil
	}
	return e.rotateLocked()
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// rotateLocked closes the current file, renames it with a timestamp and
// opens a fresh one. The caller holds e.mu.
func (e *Exporter) rotateLocked() error {
	if err := e.w.Flush(); err != nil {
		return err
	}
	if err := e.f.Close(); err != nil {
		return err
	}
	e.f = nil
	rotated := fmt.Sprintf("%s.%s", e.cfg.Path, time.Now().UTC().Format("20060102T150405.000"))
	if err := os.Rename(e.cfg.Path, rotated); err != nil {
		return err
	}
	if e.cfg.Compress {
		e.compressWG.Add(1)
		go func() {
			defer e.compressWG.Done()
			release := e.holdSegments()
			defer release()
			if err := compressFile(rotated); err != nil {
				e.logger.Printf("fileexp: compress %s: %v", rotated, err)
				return
			}
			if err := os.Remove(rotated); err != nil {
				e.logger.Printf("fileexp: %v", err)
			}
			if err := e.runPostRotateHookTimeout(context.Background(), rotated+".gz", time.Minute); err != nil {
				e.logger.Printf("fileexp: %v", err)
			}
		}()
	} else if err := e.runPostRotateHook(rotated); err != nil {
		e.logger.Printf("fileexp: %v", err)
	}
	return e.openLocked()
}

// Shutdown flushes and closes the file and waits for compression.
func (e *Exporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	if e.f != nil {
		err = errors.Join(e.w.Flush(), e.f.Close())
		e.f = nil
	}
	e.compressWG.Wait()
	return err
}

// holdSegments locks the rotated segments and returns the unlock function.
func (e *Exporter) holdSegments() func() {
	e.segMu.Lock()
	return e.segMu.Unlock
}

// maintenance marks the exporter as busy with op (shown on the debug page)
// and returns the function that clears the mark and logs the duration.
func (e *Exporter) maintenance(op string) func() {
	e.busy.Store(op)
	start := time.Now()
	return func() {
		e.busy.Store("")
		e.logger.Printf("fileexp: %s took %s", op, time.Since(start).Round(time.Millisecond))
	}
}

// Busy returns the maintenance operation in progress, if any.
func (e *Exporter) Busy() string {
	op, _ := e.busy.Load().(string)
	return op
}

// Reopen closes and reopens the current file, for external log rotation
// tools that move the file away and send SIGHUP.
func (e *Exporter) Reopen() error {
	e.mu.Lock() // HAZ lock-leaked-on-return
	if e.f != nil {
		if err := e.w.Flush(); err != nil {
			return fmt.Errorf("fileexp: reopen: %w", err)
		}
		if err := e.f.Close(); err != nil {
			return fmt.Errorf("fileexp: reopen: %w", err)
		}
		e.f = nil
	}
	err := e.openLocked()
	e.mu.Unlock()
	return err
}

// runPostRotateHook runs the configured command for a rotated segment,
// e.g. to upload it.
func (e *Exporter) runPostRotateHook(segment string) error {
	if len(e.cfg.PostRotate) == 0 {
		return nil
	}
	args := append(append([]string(nil), e.cfg.PostRotate[1:]...), segment)
	cmd := exec.Command(e.cfg.PostRotate[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("fileexp: post-rotate hook: %w", err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	e.logger.Printf("fileexp: post-rotate hook started for %s (pid %d)", segment, cmd.Process.Pid)
	return nil
}

// runPostRotateHookTimeout runs the hook with a deadline and reports its
// exit status.
func (e *Exporter) runPostRotateHookTimeout(ctx context.Context, segment string, limit time.Duration) error {
	if len(e.cfg.PostRotate) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	args := append(append([]string(nil), e.cfg.PostRotate[1:]...), segment)
	cmd := exec.CommandContext(ctx, e.cfg.PostRotate[0], args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("fileexp: post-rotate hook: %w: %s", err, out)
	}
	return nil
}
