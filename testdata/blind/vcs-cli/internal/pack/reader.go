package pack

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"example.com/vcscli/internal/object"
)

// ErrBadChecksum reports a pack whose trailer does not match its contents.
var ErrBadChecksum = errors.New("pack: checksum mismatch")

// Reader gives random access to the objects of one pack.
type Reader struct {
	path  string
	f     *os.File
	count uint32
	index map[object.ID]int64
}

// Open opens a .pack and its .idx.
func Open(packPath string) (*Reader, error) {
	f, err := os.Open(packPath)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: packPath, f: f}
	if err := r.readHeader(); err != nil {
		f.Close()
		return nil, fmt.Errorf("pack %s: %w", packPath, err)
	}
	idx, err := ReadIndex(strings.TrimSuffix(packPath, ".pack") + ".idx")
	if err != nil {
		f.Close()
		return nil, err
	}
	r.index = idx
	return r, nil
}

func (r *Reader) readHeader() error {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r.f, hdr[:]); err != nil {
		return err
	}
	if string(hdr[:4]) != magic {
		return fmt.Errorf("not a pack (magic %q)", hdr[:4])
	}
	if v := binary.BigEndian.Uint32(hdr[4:8]); v != version {
		return fmt.Errorf("unsupported pack version %d", v)
	}
	r.count = binary.BigEndian.Uint32(hdr[8:])
	return nil
}

// Close releases the pack file.
func (r *Reader) Close() error { return r.f.Close() }

// Count returns the number of objects in the pack.
func (r *Reader) Count() int { return int(r.count) }

// Has reports whether the pack contains id.
func (r *Reader) Has(id object.ID) bool {
	_, ok := r.index[id]
	return ok
}

// Read inflates the object id.
func (r *Reader) Read(id object.ID) (object.Kind, []byte, error) {
	off, ok := r.index[id]
	if !ok {
		return 0, nil, fmt.Errorf("pack %s: %s: %w", filepath.Base(r.path), id.Short(), object.ErrNotFound)
	}
	br := bufio.NewReader(io.NewSectionReader(r.f, off, 1<<62))
	kind, data, err := readEntry(br)
	if err != nil {
		return 0, nil, fmt.Errorf("pack %s at %d: %w", filepath.Base(r.path), off, err)
	}
	if object.Hash(kind, data) != id {
		return 0, nil, fmt.Errorf("pack %s: %s: %w", filepath.Base(r.path), id.Short(), object.ErrCorrupt)
	}
	return kind, data, nil
}

// readEntry decodes one object at the current position of br. The zlib
// reader consumes exactly its stream because br is an io.ByteReader.
func readEntry(br *bufio.Reader) (object.Kind, []byte, error) {
	kindByte, err := br.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	size, err := binary.ReadUvarint(br)
	if err != nil {
		return 0, nil, err
	}
	if size > 1<<31 {
		return 0, nil, fmt.Errorf("object too large (%d bytes)", size)
	}
	zr, err := zlib.NewReader(br)
	if err != nil {
		return 0, nil, err
	}
	defer zr.Close()
	data := make([]byte, size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return 0, nil, err
	}
	return object.Kind(kindByte), data, nil
}

// ReadIndex loads an .idx file into an id-to-offset map.
func ReadIndex(path string) (map[object.ID]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var hdr [8 + 20]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	if string(hdr[:4]) != idxMagic {
		return nil, fmt.Errorf("index %s: bad magic", path)
	}
	n := binary.BigEndian.Uint32(hdr[4:8])
	out := make(map[object.ID]int64, n)
	var rec [20 + 8 + 4]byte
	for i := uint32(0); i < n; i++ {
		if _, err := io.ReadFull(br, rec[:]); err != nil {
			return nil, fmt.Errorf("index %s: entry %d: %w", path, i, err)
		}
		var id object.ID
		copy(id[:], rec[:20])
		out[id] = int64(binary.BigEndian.Uint64(rec[20:28]))
	}
	return out, nil
}

// Unpack explodes a received pack into loose objects in store and returns
// how many objects it wrote.
func Unpack(packPath string, store *object.Store) (int, error) {
	f, err := os.Open(packPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := &Reader{path: packPath, f: f}
	if err := r.readHeader(); err != nil {
		return 0, err
	}
	br := bufio.NewReader(f)
	for i := 0; i < int(r.count); i++ {
		kind, data, err := readEntry(br)
		if err != nil {
			return i, fmt.Errorf("unpack %s: object %d: %w", filepath.Base(packPath), i, err)
		}
		if _, err := store.Write(kind, data); err != nil {
			return i, err
		}
	}
	return int(r.count), nil
}

// Checksum verifies the SHA-1 trailer of the pack at path.
func Checksum(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return verifyStream(f)
}

func verifyStream(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() < headerSize+sha1.Size {
		return fmt.Errorf("pack %s: truncated (%d bytes)", f.Name(), st.Size())
	}
	h := sha1.New()
	if _, err := io.CopyN(h, f, st.Size()-sha1.Size); err != nil {
		return err
	}
	var want [sha1.Size]byte
	if _, err := io.ReadFull(f, want[:]); err != nil {
		return err
	}
	if !bytes.Equal(h.Sum(nil), want[:]) {
		return fmt.Errorf("%w: %s", ErrBadChecksum, f.Name())
	}
	return nil
}

// VerifyAll opens every pack in paths, checks its trailer and that each
// indexed object inflates to its id. It stops at the first bad pack.
func VerifyAll(paths []string) error {
	for _, p := range paths {
		if err := Checksum(p); err != nil {
			return err
		}
		pr, err := Open(p)
		if err != nil {
			return err
		}
		defer pr.Close() // HAZ defer-in-loop
		for id := range pr.index {
			if _, _, err := pr.Read(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// CountObjects sums the object counts announced by the pack headers.
func CountObjects(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			pr, err := Open(p)
			if err != nil {
				return 0, err
			}
			defer pr.Close()
			return pr.Count(), nil
		}()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// List returns the .pack files in dir.
func List(dir string) ([]string, error) {
	return filepath.Glob(filepath.Join(dir, "pack-*.pack"))
}
