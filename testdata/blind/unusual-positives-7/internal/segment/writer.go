// Package segment stores mirrored records in append-only segment files.
package segment

import (
	"bufio"
	"encoding/binary"
	"errors"
	"os"
)

// Writer appends length-prefixed records to a new segment file through a
// buffer; nothing is durable until Close returns nil.
type Writer struct {
	f  *os.File
	bw *bufio.Writer
	n  int
}

// Create creates a new segment; it fails if path exists.
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Writer{f: f, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Append buffers one record.
func (w *Writer) Append(rec []byte) error {
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(rec)))
	if _, err := w.bw.Write(hdr[:n]); err != nil {
		return err
	}
	if _, err := w.bw.Write(rec); err != nil {
		return err
	}
	w.n++
	return nil
}

// Count reports how many records were appended.
func (w *Writer) Count() int { return w.n }

// Close flushes the buffer, syncs and closes the file.
func (w *Writer) Close() error {
	err := w.bw.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	return errors.Join(err, w.f.Close())
}

// WriteAll writes recs to a new segment at path.
func WriteAll(path string, recs [][]byte) error {
	w, err := Create(path)
	if err != nil {
		return err
	}
	defer w.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if err := w.Append(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteAllChecked is WriteAll with the close error joined into the result.
func WriteAllChecked(path string, recs [][]byte) (err error) {
	w, err := Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	for _, r := range recs {
		if err := w.Append(r); err != nil {
			return err
		}
	}
	return nil
}
