// Package dlq is the dead-letter queue: records that failed processing are
// appended to segment files for later inspection and replay.
package dlq

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/streamproc/internal/record"
)

// Entry is one dead letter.
type Entry struct {
	Record   record.Record `json:"record"`
	Err      string        `json:"error"`
	Attempts int           `json:"attempts"`
	At       time.Time     `json:"at"`
}

// Queue appends entries to the active segment of a directory.
type Queue struct {
	dir     string
	maxSize int

	mu   sync.Mutex
	f    *os.File
	bw   *bufio.Writer
	n    int
	segs int
}

// Open opens (or creates) the queue directory and its first segment.
func Open(dir string, maxSize int) (*Queue, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	q := &Queue{dir: dir, maxSize: maxSize}
	if err := q.openSegment(); err != nil {
		return nil, err
	}
	return q, nil
}

// openSegment must be called with q.mu held or before q is shared.
func (q *Queue) openSegment() error {
	q.segs++
	name := filepath.Join(q.dir, fmt.Sprintf("dlq-%d-%04d.jsonl", time.Now().Unix(), q.segs))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	q.f = f
	q.bw = bufio.NewWriter(f)
	q.n = 0
	return nil
}

// Put appends one entry, rotating when the segment is full.
func (q *Queue) Put(e Entry) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.f == nil {
		return errors.New("dlq: closed")
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := q.bw.Write(append(b, '\n')); err != nil {
		return err
	}
	q.n++
	if q.maxSize > 0 && q.n >= q.maxSize {
		return q.rotateLocked()
	}
	return nil
}

// rotateLocked flushes and closes the active segment and opens a new one.
func (q *Queue) rotateLocked() error {
	if err := q.bw.Flush(); err != nil {
		return err
	}
	if err := q.f.Sync(); err != nil {
		return err
	}
	if err := q.f.Close(); err != nil {
		return err
	}
	return q.openSegment()
}

// Rotate forces a new segment. The lock is released on every path.
func (q *Queue) Rotate() error {
	q.mu.Lock()
	if q.f == nil {
		q.mu.Unlock()
		return errors.New("dlq: closed")
	}
	err := q.rotateLocked()
	q.mu.Unlock()
	return err
}

// Flush makes the buffered entries durable.
func (q *Queue) Flush() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.f == nil {
		return nil
	}
	if err := q.bw.Flush(); err != nil {
		return err
	}
	return q.f.Sync()
}

// Close flushes and closes the active segment.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.f == nil {
		return nil
	}
	ferr := q.bw.Flush()
	cerr := q.f.Close()
	q.f, q.bw = nil, nil
	return errors.Join(ferr, cerr)
}

// Segments lists the segment files of dir in order.
func Segments(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "dlq-*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// ReadSegment decodes every entry of one segment file.
func ReadSegment(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var e Entry
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
	}
}

// CountEntries counts the entries across all segments of dir.
func CountEntries(dir string) (int, error) {
	segs, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, s := range segs {
		f, err := os.Open(s)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" {
				total++
			}
		}
		if err := sc.Err(); err != nil {
			return total, err
		}
	}
	return total, nil
}

// writeSegment writes entries into a fresh segment file.
func writeSegment(path string, entries []Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return f.Sync()
}

// Compact merges all segments of dir into one, keeping only entries newer
// than cutoff, and removes the old segments.
func Compact(dir string, cutoff time.Time) (int, error) {
	segs, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	var kept []Entry
	for _, s := range segs {
		entries, err := ReadSegment(s)
		if err != nil {
			return 0, err
		}
		for _, e := range entries {
			if e.At.After(cutoff) {
				kept = append(kept, e)
			}
		}
	}
	out := filepath.Join(dir, fmt.Sprintf("dlq-%d-compact.jsonl", time.Now().Unix()))
	if err := writeSegment(out, kept); err != nil {
		return 0, err
	}
	for _, s := range segs {
		if err := os.Remove(s); err != nil {
			return len(kept), err
		}
	}
	return len(kept), nil
}

// Export writes every entry as CSV-ish lines to path; the buffered writer is
// flushed and the file closed with their errors checked.
func Export(dir, path string) (err error) {
	segs, err := Segments(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, s := range segs {
		entries, err := ReadSegment(s)
		if err != nil {
			return err
		}
		for _, e := range entries {
			fmt.Fprintf(bw, "%s,%s,%d,%q\n", e.At.Format(time.RFC3339), e.Record, e.Attempts, e.Err)
		}
	}
	return bw.Flush()
}

// Replay feeds every entry to fn, one segment at a time.
func Replay(dir string, fn func(Entry) error) (int, error) {
	segs, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range segs {
		err := func() error {
			f, err := os.Open(s)
			if err != nil {
				return err
			}
			defer f.Close()
			dec := json.NewDecoder(f)
			for dec.More() {
				var e Entry
				if err := dec.Decode(&e); err != nil {
					return err
				}
				if err := fn(e); err != nil {
					return err
				}
				n++
			}
			return nil
		}()
		if err != nil {
			return n, fmt.Errorf("replay %s: %w", s, err)
		}
	}
	return n, nil
}
