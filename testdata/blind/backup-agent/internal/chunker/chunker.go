// Package chunker splits file contents into content-defined chunks and names
// each chunk by the SHA-256 digest of its plaintext, so identical data is
// stored once no matter which file or offset it came from.
package chunker

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// ID identifies a chunk by the SHA-256 digest of its plaintext.
type ID [sha256.Size]byte

// String returns the lowercase hex form used in pack trailers and snapshots.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText implements encoding.TextMarshaler.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *ID) UnmarshalText(b []byte) error {
	parsed, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = parsed
	return nil
}

// ParseID decodes the hex form of an ID.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return id, fmt.Errorf("chunker: id %q: want %d hex digits", s, 2*len(id))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("chunker: id %q: %w", s, err)
	}
	return id, nil
}

// Sum returns the ID of data.
func Sum(data []byte) ID { return sha256.Sum256(data) }

// Chunk is one piece of a file.
type Chunk struct {
	ID     ID
	Offset int64
	Data   []byte
}

// Default chunk size bounds. The average chunk is about 1 MiB.
const (
	DefaultMin = 256 << 10
	DefaultMax = 4 << 20
	avgBits    = 20
)

// gear is the table of the rolling hash. It is derived with splitmix64 from a
// fixed seed: changing it would move every chunk boundary and defeat
// deduplication against existing repositories.
var gear = func() (t [256]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range t {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		t[i] = z ^ (z >> 31)
	}
	return t
}()

// Chunker cuts a stream at content-defined boundaries.
type Chunker struct {
	r       *bufio.Reader
	minSize int
	maxSize int
	mask    uint64
	offset  int64
	buf     []byte
}

// New returns a Chunker reading from r. Non-positive sizes select the defaults.
func New(r io.Reader, minSize, maxSize int) *Chunker {
	if minSize <= 0 {
		minSize = DefaultMin
	}
	if maxSize <= 0 {
		maxSize = DefaultMax
	}
	if maxSize < minSize {
		maxSize = minSize
	}
	return &Chunker{
		r:       bufio.NewReaderSize(r, 64<<10),
		minSize: minSize,
		maxSize: maxSize,
		mask:    1<<avgBits - 1,
		buf:     make([]byte, 0, maxSize),
	}
}

// Next returns the next chunk, or io.EOF after the last one.
func (c *Chunker) Next() (Chunk, error) {
	c.buf = c.buf[:0]
	var h uint64
	for len(c.buf) < c.maxSize {
		b, err := c.r.ReadByte()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Chunk{}, err
		}
		c.buf = append(c.buf, b)
		h = h<<1 + gear[b]
		if len(c.buf) >= c.minSize && h&c.mask == 0 {
			break
		}
	}
	if len(c.buf) == 0 {
		return Chunk{}, io.EOF
	}
	data := make([]byte, len(c.buf))
	copy(data, c.buf)
	ch := Chunk{ID: Sum(data), Offset: c.offset, Data: data}
	c.offset += int64(len(data))
	return ch, nil
}

// ChunkFile chunks the file at path and calls fn for every chunk in order.
// It returns the number of bytes read.
func ChunkFile(path string, minSize, maxSize int, fn func(Chunk) error) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()

	c := New(f, minSize, maxSize)
	var n int64
	for {
		ch, err := c.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("chunk %s: %w", path, err)
		}
		if err := fn(ch); err != nil {
			return n, err
		}
		n += int64(len(ch.Data))
	}
}

// HashFile returns the SHA-256 digest of a whole file.
func HashFile(path string) (ID, error) {
	var id ID
	f, err := os.Open(path)
	if err != nil {
		return id, err
	}
	defer f.Close()

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return id, fmt.Errorf("hash %s: %w", path, err)
	}
	copy(id[:], h.Sum(nil))
	return id, nil
}

// HashFiles returns the whole-file digest of every path (verify -deep
// compares them with the digests recorded at backup time).
func HashFiles(paths []string) (map[string]ID, error) {
	sums := make(map[string]ID, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("hash %s: %w", p, err)
		}
		var id ID
		copy(id[:], h.Sum(nil))
		sums[p] = id
	}
	return sums, nil
}
