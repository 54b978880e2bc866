// Package deadletter persists jobs that exhausted their retries as JSON lines
// in segment files, so operators can inspect, export and replay them.
package deadletter

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Entry is one dead job.
type Entry struct {
	JobID    string    `json:"job_id"`
	Tenant   string    `json:"tenant"`
	Kind     string    `json:"kind"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error"`
	FailedAt time.Time `json:"failed_at"`
	Payload  []byte    `json:"payload,omitempty"`
}

// Writer appends entries to the current segment, rotating by size.
type Writer struct {
	mu       sync.Mutex
	dir      string
	maxBytes int64
	seq      int
	size     int64
}

// NewWriter creates dir if needed and continues after the newest segment.
func NewWriter(dir string, maxBytes int64) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("deadletter: %w", err)
	}
	segs, err := Segments(dir)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, maxBytes: maxBytes}
	if n := len(segs); n > 0 {
		last := segs[n-1]
		w.seq = segmentSeq(last)
		if fi, err := os.Stat(last); err == nil {
			w.size = fi.Size()
		}
	}
	return w, nil
}

// Segments lists the segment files in dir, oldest first.
func Segments(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "dead-*.jsonl"))
	if err != nil {
		return nil, err
	}
	return names, nil // Glob sorts, and sequence numbers are zero-padded
}

func segmentSeq(path string) int {
	base := filepath.Base(path)
	var n int
	if _, err := fmt.Sscanf(base, "dead-%06d.jsonl", &n); err != nil {
		return 0
	}
	return n
}

func (w *Writer) segmentPath() string {
	return filepath.Join(w.dir, fmt.Sprintf("dead-%06d.jsonl", w.seq))
}

// Append writes one entry to the current segment.
func (w *Writer) Append(e Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("deadletter: encode %s: %w", e.JobID, err)
	}
	f, err := os.OpenFile(w.segmentPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	n, err := f.Write(append(line, '\n'))
	w.size += int64(n)
	if err == nil && w.size >= w.maxBytes {
		w.seq++
		w.size = 0
	}
	return err
}

// AppendBatch writes entries with one open and one flush.
func (w *Writer) AppendBatch(entries []Entry) (err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := os.OpenFile(w.segmentPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("deadletter: encode %s: %w", e.JobID, err)
		}
	}
	w.size += int64(bw.Buffered())
	return bw.Flush()
}

// Rotate starts a new segment and returns the path of the one it closed.
func (w *Writer) Rotate() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	prev := w.segmentPath()
	w.seq++
	w.size = 0
	return prev
}

// ExportCSV writes entries as CSV (without payloads) for support tickets.
func ExportCSV(dst string, entries []Entry) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write

	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"job_id", "tenant", "kind", "attempts", "failed_at", "error"}); err != nil {
		return err
	}
	for _, e := range entries {
		rec := []string{e.JobID, e.Tenant, e.Kind, strconv.Itoa(e.Attempts), e.FailedAt.UTC().Format(time.RFC3339), e.Error}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportJSON writes entries as one JSON array; the file is synced before it
// is reported as written.
func ExportJSON(dst string, entries []Entry) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(entries); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// ArchiveSegment gzips a rotated segment next to the original.
func ArchiveSegment(src string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst := src + ".gz"
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	zw.Name = filepath.Base(src)
	zw.ModTime = time.Now()
	if _, err := io.Copy(zw, in); err != nil {
		return "", err
	}
	return dst, nil
}

// BundleSegments packs segments into one tar file for a support ticket.
func BundleSegments(dst string, segs []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, seg := range segs {
		data, err := os.ReadFile(seg)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: filepath.Base(seg), Mode: 0o640, Size: int64(len(data)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// Compact gzips src into dst and removes src once dst is safely written.
func Compact(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		zw.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return os.Remove(src)
}
