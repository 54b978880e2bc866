// Package replay moves records between WAL segments and the store.
package replay

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"example.com/up6/internal/wal"
)

// Ingest appends recs to the segment at path.
func Ingest(path string, recs [][]byte) error {
	seg, err := wal.OpenSegment(path)
	defer seg.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("ingest %s: %w", path, err)
	}
	for _, rec := range recs {
		if err := seg.Append(rec); err != nil {
			return err
		}
	}
	return seg.Close()
}

// Count returns the number of records in the segment at path.
func Count(path string) (int, error) {
	rd, err := wal.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// Apply feeds every record of the segment at path to fn. A missing segment
// is treated as empty.
func Apply(path string, fn func([]byte) error) error {
	rd, err := wal.OpenReader(path)
	defer func() {
		if rd != nil {
			rd.Close()
		}
	}()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}
