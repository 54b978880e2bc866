package shipper

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Line is one complete log line read from a file.
type Line struct {
	Path   string    `json:"path"`
	Offset int64     `json:"offset"`
	Text   string    `json:"text"`
	Time   time.Time `json:"time"`
}

// Tailer follows log files and remembers how far it has read in each.
type Tailer struct {
	Poll time.Duration
	Log  *log.Logger

	mu      sync.Mutex
	offsets map[string]int64
}

func NewTailer(poll time.Duration, l *log.Logger) *Tailer {
	return &Tailer{Poll: poll, Log: l, offsets: make(map[string]int64)}
}

func (t *Tailer) offset(path string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsets[path]
}

func (t *Tailer) setOffset(path string, off int64) {
	t.mu.Lock()
	t.offsets[path] = off
	t.mu.Unlock()
}

// Follow tails path from its last recorded offset and sends each complete
// line on out until ctx is done. It reopens the file when it is rotated or
// truncated.
func (t *Tailer) Follow(ctx context.Context, path string, out chan<- Line) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { f.Close() }() // ok: read-only; closes whichever file is current at return

	off := t.offset(path)
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(f, 64<<10)
	tick := time.NewTicker(t.Poll)
	defer tick.Stop()

	var partial []byte
	for {
		chunk, err := r.ReadBytes('\n')
		if len(chunk) > 0 {
			off += int64(len(chunk))
			if chunk[len(chunk)-1] != '\n' {
				partial = append(partial, chunk...)
				continue
			}
			text := string(append(partial, chunk[:len(chunk)-1]...))
			partial = partial[:0]
			select {
			case out <- Line{Path: path, Offset: off, Text: text, Time: time.Now()}:
			case <-ctx.Done():
				return ctx.Err()
			}
			t.setOffset(path, off)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		rotated, err := rotatedSince(f, path, off)
		if err != nil {
			return err
		}
		if !rotated {
			continue
		}
		nf, err := os.Open(path)
		if err != nil {
			continue // the new file is not there yet
		}
		f.Close()
		f = nf
		off = 0
		partial = partial[:0]
		r.Reset(f)
		t.setOffset(path, 0)
	}
}

func rotatedSince(f *os.File, path string, off int64) (bool, error) {
	cur, err := f.Stat()
	if err != nil {
		return false, err
	}
	onDisk, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !os.SameFile(cur, onDisk) || onDisk.Size() < off, nil
}

// Backfill ships the full content of already-rotated files (app.log.1, ...)
// before live tailing starts.
func (t *Tailer) Backfill(ctx context.Context, pattern string, out chan<- Line) error {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return err
	}
	sort.Strings(paths)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Log.Printf("backfill: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		var off int64
		for sc.Scan() {
			off += int64(len(sc.Bytes()) + 1)
			select {
			case out <- Line{Path: p, Offset: off, Text: sc.Text(), Time: time.Now()}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("backfill %s: %w", p, err)
		}
	}
	return nil
}

// CountLines reports the number of lines in each file, for the status page.
func CountLines(paths []string) (map[string]int, error) {
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: one file per call of the literal
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				counts[p]++
			}
			return sc.Err()
		}()
		if err != nil {
			return counts, err
		}
	}
	return counts, nil
}

// LoadOffsets reads the offsets checkpoint, falling back to the previous
// generation when the current one is corrupt.
func (t *Tailer) LoadOffsets(dir string) error {
	f, err := os.Open(filepath.Join(dir, "offsets.json"))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	m := map[string]int64{}
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		t.Log.Printf("offsets.json corrupt (%v), trying previous generation", err)
		f, err = os.Open(filepath.Join(dir, "offsets.json.1"))
		if err != nil {
			return err
		}
		m = map[string]int64{}
		if err := json.NewDecoder(f).Decode(&m); err != nil {
			return err
		}
	}
	t.mu.Lock()
	t.offsets = m
	t.mu.Unlock()
	return nil
}

// SaveOffsets atomically replaces the offsets checkpoint, keeping the
// previous one as offsets.json.1.
func (t *Tailer) SaveOffsets(dir string) error {
	t.mu.Lock()
	snapshot := maps.Clone(t.offsets)
	t.mu.Unlock()

	tmp := filepath.Join(dir, "offsets.json.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close() // ok: only matters on error paths, the success path checks Close below
	if err := json.NewEncoder(f).Encode(snapshot); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cur := filepath.Join(dir, "offsets.json")
	if err := os.Rename(cur, cur+".1"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, cur)
}
