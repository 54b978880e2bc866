// Package filetail follows log files matching glob patterns and turns each
// new line into a log record. Read positions are checkpointed so that a
// restart resumes where the previous process stopped.
package filetail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Config configures the tailer.
type Config struct {
	Include        []string
	Poll           time.Duration
	CheckpointPath string
	MaxLineBytes   int
}

// Tailer is the file tailing receiver.
type Tailer struct {
	cfg    Config
	next   component.Consumer
	logger *log.Logger

	mu      sync.Mutex
	offsets map[string]int64

	cancel context.CancelFunc
	wg     sync.WaitGroup

	afterScan func() // test hook
}

// New returns a tailer feeding next.
func New(cfg Config, next component.Consumer, logger *log.Logger) *Tailer {
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.MaxLineBytes <= 0 {
		cfg.MaxLineBytes = 64 << 10
	}
	return &Tailer{cfg: cfg, next: next, logger: logger, offsets: make(map[string]int64)}
}

// Start loads the checkpoint and starts polling.
func (t *Tailer) Start(ctx context.Context, _ component.Host) error {
	if err := t.LoadCheckpoint(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("filetail: checkpoint: %w", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	t.cancel = cancel
	t.wg.Add(1)
	go t.run(ctx)
	return nil
}

// Shutdown stops polling and writes the checkpoint.
func (t *Tailer) Shutdown(ctx context.Context) error {
	if t.cancel == nil {
		return nil
	}
	t.cancel()
	done := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return t.SaveCheckpoint()
}

func (t *Tailer) run(ctx context.Context) {
	defer t.wg.Done()
	tick := time.NewTicker(t.cfg.Poll)
	defer tick.Stop()
	for {
		if err := t.scanAll(ctx); err != nil && ctx.Err() == nil {
			t.logger.Printf("filetail: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (t *Tailer) paths() ([]string, error) {
	var out []string
	for _, pattern := range t.cfg.Include {
		m, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("bad pattern %q: %w", pattern, err)
		}
		out = append(out, m...)
	}
	return out, nil
}

// scanAll reads new lines of every matching file, one goroutine per file.
func (t *Tailer) scanAll(ctx context.Context) error {
	paths, err := t.paths()
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = t.scanFile(ctx, p)
		}(i, p)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// scanFile sends the lines appended to path since the last scan.
func (t *Tailer) scanFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	off := t.offset(path)
	if fi.Size() < off {
		off = 0 // truncated or rotated in place
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return err
	}
	b, n, err := t.readLines(f, path)
	if err != nil {
		return err
	}
	if b.Len() > 0 {
		if err := t.next.Consume(ctx, b); err != nil {
			return err
		}
	}
	t.setOffset(path, off+n)
	return nil
}

// readLines reads complete lines and returns how many bytes they used.
func (t *Tailer) readLines(r io.Reader, source string) (pdata.Batch, int64, error) {
	br := bufio.NewReaderSize(r, t.cfg.MaxLineBytes)
	b := pdata.Batch{Source: source}
	var used int64
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			return b, used, nil // a partial last line is read again next time
		}
		if err != nil {
			return b, used, err
		}
		used += int64(len(line))
		b.Append(pdata.Record{
			Time:  time.Now(),
			Kind:  pdata.KindLog,
			Name:  filepath.Base(source),
			Body:  line[:len(line)-1],
			Attrs: map[string]string{"log.file.path": source},
		})
	}
}

// Follow streams one file continuously, reopening it when it is rotated
// (renamed away and recreated under the same name).
func (t *Tailer) Follow(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for ctx.Err() == nil {
		b, _, err := t.readLines(f, path)
		if err != nil {
			return err
		}
		if b.Len() > 0 {
			if err := t.next.Consume(ctx, b); err != nil {
				return err
			}
		}
		rotated, err := t.rotated(f, path)
		if err != nil {
			return err
		}
		if rotated {
			f, err = os.Open(path)
			if err != nil {
				return err
			}
		}
		time.Sleep(t.cfg.Poll)
	}
	return ctx.Err()
}

// rotated reports whether path now names a different file than f.
func (t *Tailer) rotated(f *os.File, path string) (bool, error) {
	cur, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil // not recreated yet
	}
	if err != nil {
		return false, err
	}
	return !os.SameFile(cur, now), nil
}

func (t *Tailer) offset(path string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsets[path]
}

func (t *Tailer) setOffset(path string, off int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.offsets[path] = off
}
