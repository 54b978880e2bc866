// Package journal is the daemon's append-only change log: numbered segment
// files of JSON lines, rotated when they reach a size limit.
package journal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Record is one journal line.
type Record struct {
	Seq uint64 `json:"seq"`
	Op  string `json:"op"`
	Key string `json:"key"`
}

type segment struct {
	name string
	f    *os.File
	w    *bufio.Writer
	n    int64
}

// Sync flushes the buffer and fsyncs the file.
func (s *segment) Sync() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

func (s *segment) close() error {
	return errors.Join(s.Sync(), s.f.Close())
}

// Journal appends records to rotating segments in dir.
type Journal struct {
	mu    sync.Mutex
	dir   string
	max   int64
	seq   uint64
	next  int
	seg   *segment
	lease *Lease
	hooks map[string]func() // run after Seal; set up before use
}

// Open starts a new segment in dir; segments rotate after max bytes.
func Open(dir string, max int64) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	existing, err := filepath.Glob(filepath.Join(dir, "seg-*.jsonl"))
	if err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, max: max, next: len(existing), lease: &Lease{dir: dir}, hooks: make(map[string]func())}
	if j.seg, err = j.openSegment(); err != nil {
		return nil, err
	}
	return j, nil
}

func (j *Journal) openSegment() (*segment, error) {
	name := filepath.Join(j.dir, fmt.Sprintf("seg-%06d.jsonl", j.next))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j.next++
	return &segment{name: name, f: f, w: bufio.NewWriter(f)}, nil
}

// active returns the segment currently written to.
func (j *Journal) active() *segment {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seg
}

// Append writes a record, rotating the segment when it is full.
func (j *Journal) Append(op, key string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	return j.writeLocked(Record{Seq: j.seq, Op: op, Key: key})
}

// writeLocked writes r to the active segment; j.mu must be held.
func (j *Journal) writeLocked(r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	n, err := j.seg.w.Write(append(line, '\n'))
	j.seg.n += int64(n)
	if err != nil {
		return err
	}
	if j.seg.n >= j.max {
		return j.rotateLocked()
	}
	return nil
}

// rotateLocked closes the active segment and opens the next. j.mu must be
// held by the caller; it does not lock.
func (j *Journal) rotateLocked() error {
	if err := j.seg.close(); err != nil {
		return fmt.Errorf("journal: close %s: %w", j.seg.name, err)
	}
	seg, err := j.openSegment()
	if err != nil {
		return err
	}
	j.seg = seg
	return nil
}

// AppendBatch appends recs and syncs the segment once at the end.
func (j *Journal) AppendBatch(recs []Record) error {
	defer j.active().Sync() // HAZ defer-call-chain
	for _, r := range recs {
		if err := j.Append(r.Op, r.Key); err != nil {
			return err
		}
	}
	return nil
}

// AppendAll appends recs and then syncs whichever segment is active at
// that point, on the error path too.
func (j *Journal) AppendAll(recs []Record) error {
	for _, r := range recs {
		if err := j.Append(r.Op, r.Key); err != nil {
			return errors.Join(err, j.Flush())
		}
	}
	return j.Flush()
}

// Flush syncs the active segment.
func (j *Journal) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seg.Sync()
}

// Close syncs and closes the active segment.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seg.close()
}

// Replay calls fn for every record of every segment, oldest first.
func (j *Journal) Replay(fn func(Record) error) error {
	names, err := filepath.Glob(filepath.Join(j.dir, "seg-*.jsonl"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := replayFile(name, fn); err != nil {
			return fmt.Errorf("journal: %s: %w", filepath.Base(name), err)
		}
	}
	return nil
}

func replayFile(name string, fn func(Record) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return sc.Err()
}
