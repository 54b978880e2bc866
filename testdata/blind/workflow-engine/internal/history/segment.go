package history

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SegmentWriter appends events to a temporary file that becomes visible under
// its final name only once Commit has made it durable.
type SegmentWriter struct {
	dir   string
	path  string
	tmp   string
	f     *os.File
	bw    *bufio.Writer
	enc   *json.Encoder
	first uint64
	next  uint64
	count int
}

// CreateSegment starts a new segment whose first event will carry seq first.
func CreateSegment(dir string, first uint64) (*SegmentWriter, error) {
	path := filepath.Join(dir, segmentName(first))
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("history: create segment: %w", err)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	return &SegmentWriter{
		dir:   dir,
		path:  path,
		tmp:   tmp,
		f:     f,
		bw:    bw,
		enc:   json.NewEncoder(bw),
		first: first,
		next:  first,
	}, nil
}

// Append encodes ev into the segment buffer. The event is not durable until
// Commit returns.
func (w *SegmentWriter) Append(ev Event) error {
	if w.f == nil {
		return ErrSegmentClosed
	}
	if ev.Seq != w.next {
		return fmt.Errorf("history: out of order append: got seq %d, want %d", ev.Seq, w.next)
	}
	if err := w.enc.Encode(ev); err != nil {
		return fmt.Errorf("history: encode seq %d: %w", ev.Seq, err)
	}
	w.next++
	w.count++
	return nil
}

// Flush pushes buffered events to the operating system.
func (w *SegmentWriter) Flush() error {
	if w.f == nil {
		return ErrSegmentClosed
	}
	return w.bw.Flush()
}

// Len is the number of events appended so far.
func (w *SegmentWriter) Len() int { return w.count }

// Commit seals the segment: flush, fsync, close, rename into place and fsync
// the directory so that the rename itself survives a crash. On failure the
// temporary file is removed.
func (w *SegmentWriter) Commit() (err error) {
	if w.f == nil {
		return ErrSegmentClosed
	}
	f := w.f
	w.f = nil
	defer func() {
		if err != nil {
			_ = os.Remove(w.tmp)
		}
	}()
	if err := w.bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("history: flush %s: %w", w.tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("history: fsync %s: %w", w.tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("history: close %s: %w", w.tmp, err)
	}
	if err := os.Rename(w.tmp, w.path); err != nil {
		return fmt.Errorf("history: seal %s: %w", w.path, err)
	}
	return syncDir(w.dir)
}

// Abort discards an uncommitted segment.
func (w *SegmentWriter) Abort() error {
	if w.f == nil {
		return nil
	}
	cerr := w.f.Close()
	w.f = nil
	return errors.Join(cerr, os.Remove(w.tmp))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteSegmentFile writes a complete sealed segment in one go. It is used by
// compaction, which already holds all events in memory.
func WriteSegmentFile(path string, events []Event) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()

	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return fmt.Errorf("history: encode seq %d: %w", ev.Seq, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}
