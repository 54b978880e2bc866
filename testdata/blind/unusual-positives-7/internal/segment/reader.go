package segment

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxRecord bounds a record read from disk.
const maxRecord = 16 << 20

// Reader reads records from a segment opened read-only.
type Reader struct {
	f  *os.File
	br *bufio.Reader
}

// Open opens a segment for reading.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Reader{f: f, br: bufio.NewReader(f)}, nil
}

// Next returns the next record or io.EOF.
func (r *Reader) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(r.br)
	if err != nil {
		return nil, err
	}
	if n > maxRecord {
		return nil, fmt.Errorf("%s: record of %d bytes", r.f.Name(), n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// Close closes the underlying read-only file.
func (r *Reader) Close() error { return r.f.Close() }

// readRecords reads r to the end.
func readRecords(r *Reader) ([][]byte, error) {
	var out [][]byte
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

// ReadAll returns every record of the segment at path.
func ReadAll(path string) ([][]byte, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readRecords(r)
}

// ReadAllOrBackup reads path, falling back to path+".bak" when the primary
// copy is damaged.
func ReadAllOrBackup(path string) ([][]byte, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close() // HAZ defer-eager-evaluation
	recs, err := readRecords(r)
	if err == nil {
		return recs, nil
	}
	r, err = Open(path + ".bak")
	if err != nil {
		return nil, err
	}
	return readRecords(r)
}

// ReadWithBackup is ReadAllOrBackup where each copy is read, and closed, by
// ReadAll.
func ReadWithBackup(path string) ([][]byte, error) {
	recs, err := ReadAll(path)
	if err == nil {
		return recs, nil
	}
	return ReadAll(path + ".bak")
}

// CountAll counts the records of several segments, closing each one before
// the next is opened.
func CountAll(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			r, err := Open(p)
			if err != nil {
				return 0, err
			}
			defer r.Close()
			n := 0
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					return n, nil
				}
				if err != nil {
					return n, err
				}
				n++
			}
		}()
		if err != nil {
			return total, fmt.Errorf("%s: %w", p, err)
		}
		total += n
	}
	return total, nil
}
