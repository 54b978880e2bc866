// Package storage persists the replicated log, hard state and snapshots on local disk.
package storage

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

const segmentSuffix = ".wal"

// WAL is a segmented write-ahead log of JSON-encoded entries, one per line.
type WAL struct {
	mu         sync.Mutex
	dir        string
	seg        *os.File
	segIndex   int
	segSize    int64
	maxSegment int64
}

// OpenWAL opens (or creates) the log in dir and positions at the newest segment.
func OpenWAL(dir string, maxSegment int64) (*WAL, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	w := &WAL{dir: dir, maxSegment: maxSegment}
	segs, err := w.listSegments()
	if err != nil {
		return nil, err
	}
	if len(segs) > 0 {
		w.segIndex = segs[len(segs)-1]
	}
	if err := w.openSegmentLocked(); err != nil {
		return nil, err
	}
	return w, nil
}

func segmentName(n int) string {
	return fmt.Sprintf("%08d%s", n, segmentSuffix)
}

func parseSegmentName(name string) (int, bool) {
	if !strings.HasSuffix(name, segmentSuffix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(name, segmentSuffix))
	if err != nil {
		return 0, false
	}
	return n, true
}

func (w *WAL) listSegments() ([]int, error) {
	des, err := os.ReadDir(w.dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, de := range des {
		if n, ok := parseSegmentName(de.Name()); ok {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

func (w *WAL) openSegmentLocked() error {
	path := filepath.Join(w.dir, segmentName(w.segIndex))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return errors.Join(err, f.Close())
	}
	w.seg, w.segSize = f, st.Size()
	return nil
}

func (w *WAL) rotateLocked() error {
	if err := w.seg.Sync(); err != nil {
		return err
	}
	if err := w.seg.Close(); err != nil {
		return err
	}
	w.segIndex++
	return w.openSegmentLocked()
}

// Append writes entries and fsyncs before returning.
func (w *WAL) Append(entries []raftpb.Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seg == nil {
		return errors.New("storage: wal closed")
	}
	bw := bufio.NewWriter(w.seg)
	for _, e := range entries {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		n, err := bw.Write(append(b, '\n'))
		if err != nil {
			return err
		}
		w.segSize += int64(n)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := w.seg.Sync(); err != nil {
		return err
	}
	if w.maxSegment > 0 && w.segSize >= w.maxSegment {
		return w.rotateLocked()
	}
	return nil
}

// Close syncs and closes the active segment.
func (w *WAL) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seg == nil {
		return nil
	}
	err := errors.Join(w.seg.Sync(), w.seg.Close())
	w.seg = nil
	return err
}

// ReadAll returns every entry in every segment, oldest first.
func (w *WAL) ReadAll() ([]raftpb.Entry, error) {
	segs, err := w.listSegments()
	if err != nil {
		return nil, err
	}
	var out []raftpb.Entry
	for _, s := range segs {
		es, err := readSegment(filepath.Join(w.dir, segmentName(s)))
		if err != nil {
			return nil, fmt.Errorf("segment %d: %w", s, err)
		}
		out = append(out, es...)
	}
	return out, nil
}

func readSegment(path string) ([]raftpb.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeEntries(f)
}

func decodeEntries(r io.Reader) ([]raftpb.Entry, error) {
	var out []raftpb.Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		var e raftpb.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return out, fmt.Errorf("torn record after index %d: %w", lastIndex(out), err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

func lastIndex(es []raftpb.Entry) raftpb.Index {
	if len(es) == 0 {
		return 0
	}
	return es[len(es)-1].Index
}

// Verify counts the records of every segment, failing on the first torn one.
func (w *WAL) Verify() (int, error) {
	segs, err := w.listSegments()
	if err != nil {
		return 0, err
	}
	total := 0
	for _, s := range segs {
		f, err := os.Open(filepath.Join(w.dir, segmentName(s)))
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		es, err := decodeEntries(f)
		if err != nil {
			return total, fmt.Errorf("segment %d: %w", s, err)
		}
		total += len(es)
	}
	return total, nil
}

// Checksums returns a size per segment; each file is closed before the next is opened.
func (w *WAL) Checksums() (map[int]int64, error) {
	segs, err := w.listSegments()
	if err != nil {
		return nil, err
	}
	out := make(map[int]int64, len(segs))
	for _, s := range segs {
		err := func() error {
			f, err := os.Open(filepath.Join(w.dir, segmentName(s)))
			if err != nil {
				return err
			}
			defer f.Close()
			n, err := io.Copy(io.Discard, f)
			out[s] = n
			return err
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Tail returns up to n entries from the end of the log, reading the previous
// segment too when the newest one is short.
func (w *WAL) Tail(n int) ([]raftpb.Entry, error) {
	segs, err := w.listSegments()
	if err != nil || len(segs) == 0 {
		return nil, err
	}
	f, err := os.Open(filepath.Join(w.dir, segmentName(segs[len(segs)-1])))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	out, err := decodeEntries(f)
	if err != nil {
		return nil, err
	}
	if len(out) < n && len(segs) > 1 {
		f, err = os.Open(filepath.Join(w.dir, segmentName(segs[len(segs)-2])))
		if err != nil {
			return nil, err
		}
		prev, err := decodeEntries(f)
		if err != nil {
			return nil, err
		}
		out = append(prev, out...)
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out, nil
}

// RemoveBefore deletes whole segments that only hold entries below keep.
func (w *WAL) RemoveBefore(keep int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	segs, err := w.listSegments()
	if err != nil {
		return err
	}
	for _, s := range segs {
		if s >= keep || s == w.segIndex {
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, segmentName(s))); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// SegmentCount reports how many segment files exist.
func (w *WAL) SegmentCount() int {
	segs, _ := w.listSegments()
	return len(segs)
}

type auditRecord struct {
	Op    string       `json:"op"`
	Index raftpb.Index `json:"index"`
	Note  string       `json:"note,omitempty"`
}

// appendAudit adds one line to the operator audit trail next to the log.
func appendAudit(path string, rec auditRecord) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(rec)
}

// Audit records a maintenance operation in the WAL directory.
func (w *WAL) Audit(op string, idx raftpb.Index, note string) error {
	return appendAudit(filepath.Join(w.dir, "audit.log"), auditRecord{Op: op, Index: idx, Note: note})
}

// ReadAudit returns the audit trail; the file is opened read-only.
func (w *WAL) ReadAudit() ([]string, error) {
	f, err := os.Open(filepath.Join(w.dir, "audit.log"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}
