package wal

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

	"example.com/falsealarm3/internal/trace"
)

// Compactor merges old segments in the background.
type Compactor struct {
	log      *Log
	interval time.Duration

	mu      sync.Mutex
	running bool
	stop    chan struct{}
	done    chan struct{}
	lastErr error
}

// NewCompactor returns a stopped compactor.
func NewCompactor(l *Log, interval time.Duration) *Compactor {
	return &Compactor{log: l, interval: interval}
}

// Start launches the background loop; it is a no-op if already running.
func (c *Compactor) Start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return
	}
	c.running = true
	c.stop = make(chan struct{})
	c.done = make(chan struct{})
	go c.loop(c.stop, c.done) // ok: channels passed in, the loop owns done
}

// loop runs until stop is closed and then closes done.
func (c *Compactor) loop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			err := c.compactOnce()
			c.mu.Lock()
			c.lastErr = err
			c.mu.Unlock()
		}
	}
}

// Stop stops the loop and waits for it. The lock is released before waiting
// so the loop can record its last error.
func (c *Compactor) Stop() {
	c.mu.Lock()
	if !c.running {
		c.mu.Unlock()
		return
	}
	c.running = false
	stop, done := c.stop, c.done
	c.mu.Unlock()

	close(stop)
	<-done
}

// LastError returns the result of the last compaction.
func (c *Compactor) LastError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// compactOnce merges all closed segments into one.
func (c *Compactor) compactOnce() (err error) {
	defer trace.Timed("wal.compact")() // ok: Timed returns the func that is deferred
	segs, err := c.log.segments()
	if err != nil {
		return err
	}
	if len(segs) < 3 {
		return nil
	}
	closed := segs[:len(segs)-1]
	out := c.log.segPath(closed[0]) + ".merge"
	if err := mergeSegments(out, c.log, closed); err != nil {
		return err
	}
	for _, s := range closed[1:] {
		if err := os.Remove(c.log.segPath(s)); err != nil {
			return err
		}
	}
	return os.Rename(out, c.log.segPath(closed[0]))
}

// mergeSegments concatenates segments into out.
func mergeSegments(out string, l *Log, segs []uint64) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, s := range segs {
		if err := copySegment(w, l.segPath(s)); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// copySegment appends one segment to w; its file is closed on return.
func copySegment(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Checksums computes per-segment checksums, closing each file before the
// next; the per-file work is a function literal.
func Checksums(dir string) (map[string]uint32, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.wal"))
	if err != nil {
		return nil, err
	}
	out := make(map[string]uint32, len(paths))
	for _, p := range paths {
		sum, err := func() (uint32, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close() // ok: in a function literal, per iteration
			var sum uint32
			br := bufio.NewReader(f)
			for {
				r, err := decode(br)
				if errors.Is(err, io.EOF) {
					return sum, nil
				}
				if err != nil {
					return sum, err
				}
				sum ^= uint32(r.Index)
			}
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[filepath.Base(p)] = sum
	}
	return out, nil
}

// Diff compares the primary and the replica segment with the same name. The
// first file is closed before the second is opened.
func Diff(primary, replica string) (bool, error) {
	f, err := os.Open(primary)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	a, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(replica)
	if err != nil {
		return false, err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	return string(a) == string(b), nil
}

// DiffBoth opens both files with their own variables.
func DiffBoth(primary, replica string) (bool, error) {
	fa, err := os.Open(primary)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(replica)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	a, err := io.ReadAll(fa)
	if err != nil {
		return false, err
	}
	b, err := io.ReadAll(fb)
	if err != nil {
		return false, err
	}
	return string(a) == string(b), nil
}

// DiffClosure closes whichever file f refers to at exit, on purpose.
func DiffClosure(primary, replica string) (bool, error) {
	f, err := os.Open(primary)
	if err != nil {
		return false, err
	}
	defer func() { f.Close() }() // ok: closes the current f at exit
	a, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	f.Close()
	f, err = os.Open(replica)
	if err != nil {
		return false, err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	return string(a) == string(b), nil
}

// Scrubber verifies segments in the background; results are delivered on a
// channel the worker goroutine owns and closes.
func Scrubber(ctx context.Context, dir string) <-chan error {
	out := make(chan error)
	go func() {
		defer close(out)
		paths, err := filepath.Glob(filepath.Join(dir, "*.wal"))
		if err != nil {
			select {
			case out <- err:
			case <-ctx.Done():
			}
			return
		}
		for _, p := range paths {
			if _, err := lastIndex(p); err != nil {
				select {
				case out <- fmt.Errorf("%s: %w", p, err):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// ScrubAll drains Scrubber and logs every failure.
func ScrubAll(ctx context.Context, dir string) int {
	n := 0
	for err := range Scrubber(ctx, dir) {
		log.Printf("scrub: %v", err)
		n++
	}
	return n
}

// Prealloc creates count empty segment files, closing each through a helper.
func Prealloc(dir string, start uint64, count int) error {
	for i := 0; i < count; i++ {
		if err := touch(filepath.Join(dir, fmt.Sprintf("%020d.wal.pre", start+uint64(i)))); err != nil {
			return err
		}
	}
	return nil
}

func touch(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return f.Close() // ok: no defer; close error returned
}
