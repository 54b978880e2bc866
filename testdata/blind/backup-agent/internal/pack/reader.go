package pack

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Reader gives random access to the blobs of one pack file.
type Reader struct {
	f       *os.File
	dataEnd int64
	order   []Entry
}

// Open opens a pack read-only and loads its trailer.
func Open(path string) (_ *Reader, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()

	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	entries, dataEnd, err := readTrailer(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", filepath.Base(path), err)
	}
	return &Reader{f: f, dataEnd: dataEnd, order: entries}, nil
}

func readTrailer(f *os.File, size int64) ([]Entry, int64, error) {
	if size < trailerLen {
		return nil, 0, errors.New("file too short")
	}
	var tail [trailerLen]byte
	if _, err := f.ReadAt(tail[:], size-trailerLen); err != nil {
		return nil, 0, err
	}
	if string(tail[4:]) != magic {
		return nil, 0, errors.New("bad magic")
	}
	n := int64(binary.BigEndian.Uint32(tail[:4]))
	start := size - trailerLen - n
	if start < 0 {
		return nil, 0, errors.New("trailer length out of range")
	}
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, start); err != nil {
		return nil, 0, err
	}
	var entries []Entry
	if err := json.Unmarshal(buf, &entries); err != nil {
		return nil, 0, fmt.Errorf("trailer: %w", err)
	}
	return entries, start, nil
}

// Entries returns the blob table in file order.
func (r *Reader) Entries() []Entry { return slices.Clone(r.order) }

// ReadBlob reads n sealed bytes at off.
func (r *Reader) ReadBlob(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > r.dataEnd {
		return nil, fmt.Errorf("pack: blob range [%d,+%d) outside data", off, n)
	}
	buf := make([]byte, n)
	if _, err := r.f.ReadAt(buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// Close closes the pack file.
func (r *Reader) Close() error { return r.f.Close() }

// SameContent reports whether the primary copy of a pack and a mirrored copy
// (downloaded from the object store) are byte-for-byte identical.
func SameContent(primary, mirror string) (bool, error) {
	f, err := os.Open(primary)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	a := sha256.New()
	if _, err := io.Copy(a, f); err != nil {
		return false, err
	}

	f, err = os.Open(mirror)
	if err != nil {
		return false, err
	}
	b := sha256.New()
	if _, err := io.Copy(b, f); err != nil {
		return false, err
	}
	return bytes.Equal(a.Sum(nil), b.Sum(nil)), nil
}
