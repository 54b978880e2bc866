package deadletter

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
)

// EnqueueFunc puts a replayed entry back on the queue.
type EnqueueFunc func(ctx context.Context, e Entry) error

// Replayer feeds dead-letter segments back into the queue.
type Replayer struct {
	dir     string
	enqueue EnqueueFunc
	log     *log.Logger
	filter  func(Entry) bool
}

// NewReplayer returns a replayer over dir. A nil filter replays everything.
func NewReplayer(dir string, enqueue EnqueueFunc, filter func(Entry) bool, logger *log.Logger) *Replayer {
	if filter == nil {
		filter = func(Entry) bool { return true }
	}
	return &Replayer{dir: dir, enqueue: enqueue, filter: filter, log: logger}
}

// keep applies the operator's filter. Filters are ad-hoc closures typed
// into mqadmin, so a broken one must not abort a replay.
func (r *Replayer) keep(e Entry) (ok bool) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return r.filter(e)
}

// replayReader enqueues every matching entry read from rd.
func (r *Replayer) replayReader(ctx context.Context, rd io.Reader) (int, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	n := 0
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			r.log.Printf("deadletter: skipping corrupt line: %v", err)
			continue
		}
		if !r.keep(e) {
			continue
		}
		if err := r.enqueue(ctx, e); err != nil {
			return n, fmt.Errorf("replay %s: %w", e.JobID, err)
		}
		n++
	}
	return n, sc.Err()
}

// ReplayFile replays one segment.
func (r *Replayer) ReplayFile(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return r.replayReader(ctx, f)
}

// ReplayDir replays every segment in the directory, oldest first.
func (r *Replayer) ReplayDir(ctx context.Context) (int, error) {
	segs, err := Segments(r.dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, seg := range segs {
		f, err := os.Open(seg)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := r.replayReader(ctx, f)
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", filepath.Base(seg), err)
		}
	}
	return total, nil
}

// ReplayTenant replays one tenant's entries from every segment. Each
// segment is closed before the next is opened.
func (r *Replayer) ReplayTenant(ctx context.Context, tenant string) (int, error) {
	segs, err := Segments(r.dir)
	if err != nil {
		return 0, err
	}
	only := &Replayer{dir: r.dir, enqueue: r.enqueue, log: r.log,
		filter: func(e Entry) bool { return e.Tenant == tenant && r.filter(e) }}
	total := 0
	for _, seg := range segs {
		n, err := func() (int, error) {
			f, err := os.Open(seg)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return only.replayReader(ctx, f)
		}()
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", filepath.Base(seg), err)
		}
	}
	return total, nil
}

// ReplayRotated replays base.1 (the previous generation) and then base.
func (r *Replayer) ReplayRotated(ctx context.Context, base string) (int, error) {
	f, err := os.Open(base + ".1")
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	n, err := r.replayReader(ctx, f)
	if err != nil {
		return n, err
	}
	f, err = os.Open(base)
	if err != nil {
		return n, err
	}
	m, err := r.replayReader(ctx, f)
	return n + m, err
}

// CountEntries counts the lines of a segment.
func CountEntries(path string) (int, error) {
	var err error
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil {
			err = cerr
		}
	}()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	err = sc.Err()
	return n, err
}

// Tail returns the last n entries of a segment.
func Tail(path string, n int) (entries []Entry, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			continue
		}
		entries = append(entries, e)
		if len(entries) > n {
			entries = entries[1:]
		}
	}
	return entries, sc.Err()
}
