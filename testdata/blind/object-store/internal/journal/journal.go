// Package journal is the node's append-only log of metadata changes (bucket
// creation, deletes, pending notifications), split into numbered segment
// files so that old history can be archived and pruned.
package journal

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one journal record.
type Entry struct {
	Seq    uint64    `json:"seq"`
	Op     string    `json:"op"`
	Bucket string    `json:"bucket,omitempty"`
	Key    string    `json:"key,omitempty"`
	ID     string    `json:"id,omitempty"`
	Time   time.Time `json:"time"`
}

// Journal appends entries to the active segment and rotates it at maxSize.
type Journal struct {
	dir     string
	maxSize int64
	logger  *log.Logger

	mu      sync.Mutex
	seg     *os.File
	segNum  int
	segSize int64
	seq     uint64
	closed  bool
}

// Open opens the journal in dir, appending to its newest segment.
func Open(dir string, maxSize int64, logger *log.Logger) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths, err := segments(dir)
	if err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, maxSize: maxSize, logger: logger, segNum: 1}
	if len(paths) > 0 {
		last := paths[len(paths)-1]
		n, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(last), ".log"))
		if err != nil {
			return nil, fmt.Errorf("journal: bad segment name %s", last)
		}
		j.segNum = n
	}
	f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%08d.log", j.segNum)), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	j.seg, j.segSize = f, fi.Size()
	return j, nil
}

// segments lists the segment files of dir, oldest first.
func segments(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

// Append writes one entry.
func (j *Journal) Append(e Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return os.ErrClosed
	}
	if j.segSize >= j.maxSize {
		if err := j.rotateLocked(); err != nil {
			return err
		}
	}
	j.seq++
	e.Seq = j.seq
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	n, err := j.seg.Write(append(line, '\n'))
	j.segSize += int64(n)
	return err
}

// rotateLocked syncs and closes the active segment and starts the next one.
func (j *Journal) rotateLocked() error {
	if err := j.seg.Sync(); err != nil {
		return err
	}
	if err := j.seg.Close(); err != nil {
		return err
	}
	j.segNum++
	f, err := os.OpenFile(filepath.Join(j.dir, fmt.Sprintf("%08d.log", j.segNum)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	j.seg, j.segSize = f, 0
	return syncDir(j.dir)
}

// syncDir makes the creation or removal of segments in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := d.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	err = d.Sync()
	return err
}

// active returns the segment currently written to.
func (j *Journal) active() *os.File {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seg
}

// AppendBatch appends entries and makes them durable before returning.
func (j *Journal) AppendBatch(entries []Entry) error {
	defer j.active().Sync() // HAZ defer-call-chain
	for _, e := range entries {
		if err := j.Append(e); err != nil {
			return err
		}
	}
	return nil
}

// SyncEvery fsyncs the active segment periodically; it runs for the life of
// the process.
func (j *Journal) SyncEvery(every time.Duration) {
	ticker := time.NewTicker(every)
	for range ticker.C {
		j.mu.Lock()
		defer j.mu.Unlock() // HAZ defer-in-infinite-loop
		if j.closed {
			continue
		}
		if err := j.seg.Sync(); err != nil {
			j.logger.Printf("journal: sync: %v", err)
		}
	}
}

// Replay calls fn for every entry, oldest first.
func (j *Journal) Replay(fn func(Entry) error) (n int, err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// fn may trip over an entry for a bucket that no longer
			// exists; replay whatever came before it.
		}
	}()
	paths, err := segments(j.dir)
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		c, err := replaySegment(p, fn)
		n += c
		if err != nil {
			return n, fmt.Errorf("journal: %s: %w", filepath.Base(p), err)
		}
	}
	return n, nil
}

// replaySegment replays one segment file.
func replaySegment(path string, fn func(Entry) error) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return n, fmt.Errorf("record %d: %w", n+1, err)
		}
		if err := fn(e); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

// Archive concatenates every segment but the active one into a gzip file
// and removes them.
func (j *Journal) Archive(path string) (err error) {
	paths, err := segments(j.dir)
	if err != nil || len(paths) < 2 {
		return err
	}
	old := paths[:len(paths)-1]
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, p := range old {
		if err := appendFile(zw, p); err != nil {
			return err
		}
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}

// appendFile copies the content of path to w.
func appendFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Prune removes segments numbered below before.
func (j *Journal) Prune(before int) error {
	var err error
	defer j.logger.Printf("journal: pruned segments below %d: err=%v", before, err) // HAZ defer-eager-evaluation
	paths, err := segments(j.dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		n, perr := strconv.Atoi(strings.TrimSuffix(filepath.Base(p), ".log"))
		if perr != nil || n >= before {
			continue
		}
		if err = os.Remove(p); err != nil {
			return err
		}
	}
	return syncDir(j.dir)
}

// Close syncs and closes the active segment. It is safe to call twice.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	if err := j.seg.Sync(); err != nil {
		j.seg.Close()
		return err
	}
	return j.seg.Close()
}
