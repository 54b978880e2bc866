package block

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"example.com/tsdb/model"
)

var (
	// ErrChecksum is returned when the chunks file does not match meta.json.
	ErrChecksum = errors.New("block: checksum mismatch")
	// ErrClosed is returned by a closed block.
	ErrClosed = errors.New("block: closed")
)

// Block is an opened block directory. Chunks are loaded lazily on first use.
type Block struct {
	dir  string
	meta Meta

	mu     sync.RWMutex
	series []model.Series
	loaded bool
	closed bool
}

// Open reads the block's meta.json.
func Open(dir string) (*Block, error) {
	m, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	return &Block{dir: dir, meta: *m}, nil
}

// Dir returns the block directory.
func (b *Block) Dir() string { return b.dir }

// Meta returns the block metadata.
func (b *Block) Meta() Meta { return b.meta }

// Overlaps reports whether the block has data in [mint, maxt].
func (b *Block) Overlaps(mint, maxt int64) bool {
	return b.meta.MinTime <= maxt && mint < b.meta.MaxTime
}

func (b *Block) ensureLoaded() error {
	b.mu.RLock()
	loaded := b.loaded
	b.mu.RUnlock()
	if loaded {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if b.loaded {
		return nil
	}
	series, err := b.readChunks()
	if err != nil {
		return err
	}
	b.series, b.loaded = series, true
	return nil
}

// readChunks decodes the chunks file, verifying its checksum on the way.
func (b *Block) readChunks() ([]model.Series, error) {
	f, err := os.Open(filepath.Join(b.dir, ChunksFilename))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	crc := crc32.New(castagnoli)
	zr, err := gzip.NewReader(io.TeeReader(bufio.NewReader(f), crc))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.dir, err)
	}
	defer zr.Close()
	series, err := decodeChunks(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: decode: %w", b.dir, err)
	}
	if crc.Sum32() != b.meta.Checksum {
		return nil, fmt.Errorf("%s: %w", b.dir, ErrChecksum)
	}
	return series, nil
}

// Select returns the series matching ms with samples in [mint, maxt].
func (b *Block) Select(mint, maxt int64, ms ...model.Matcher) ([]model.Series, error) {
	if err := b.ensureLoaded(); err != nil {
		return nil, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return nil, ErrClosed
	}
	var out []model.Series
	for _, s := range b.series {
		if !model.MatchAll(s.Labels, ms) {
			continue
		}
		lo := sort.Search(len(s.Samples), func(i int) bool { return s.Samples[i].T >= mint })
		hi := sort.Search(len(s.Samples), func(i int) bool { return s.Samples[i].T > maxt })
		if lo < hi {
			out = append(out, model.Series{Labels: s.Labels, Samples: s.Samples[lo:hi]})
		}
	}
	return out, nil
}

// Verify recomputes the checksum of the chunks file without decoding it.
func (b *Block) Verify() error {
	sum, err := ChecksumFile(filepath.Join(b.dir, ChunksFilename))
	if err != nil {
		return err
	}
	if sum != b.meta.Checksum {
		return fmt.Errorf("%s: %w (have %08x, want %08x)", b.dir, ErrChecksum, sum, b.meta.Checksum)
	}
	return nil
}

// Close releases the decoded series.
func (b *Block) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.series = nil
	return nil
}

// ChecksumFile returns the CRC32-C of a file.
func ChecksumFile(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, f); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}
