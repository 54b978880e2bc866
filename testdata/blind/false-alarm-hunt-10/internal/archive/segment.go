package archive

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
)

var segmentMagic = []byte("SNAPSEG1")

// SegmentWriter appends length-prefixed records to a segment file.
type SegmentWriter struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	n    int64
}

// CreateSegment creates segment number seq in dir. The returned writer owns
// the file; the caller must call Close.
func CreateSegment(dir string, seq int) (*SegmentWriter, error) {
	path := filepath.Join(dir, fmt.Sprintf("%08d.seg", seq))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if _, err := bw.Write(segmentMagic); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &SegmentWriter{path: path, f: f, bw: bw, n: int64(len(segmentMagic))}, nil
}

// Append writes one record.
func (w *SegmentWriter) Append(rec []byte) error {
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(rec)))
	if _, err := w.bw.Write(hdr[:n]); err != nil {
		return err
	}
	if _, err := w.bw.Write(rec); err != nil {
		return err
	}
	w.n += int64(n + len(rec))
	return nil
}

// Close flushes, syncs and closes the segment.
func (w *SegmentWriter) Close() error {
	if err := w.bw.Flush(); err != nil {
		w.f.Close()
		return err
	}
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}

// Seal closes the segment and returns its digest.
func (w *SegmentWriter) Seal() (string, error) {
	if err := w.Close(); err != nil {
		return "", err
	}
	return hashFile(w.path)
}

// ExportCSV writes header and rows as CSV to path.
func ExportCSV(path string, header []string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return w.Error()
}
