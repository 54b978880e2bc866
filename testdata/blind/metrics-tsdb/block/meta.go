// Package block reads and writes persistent blocks: immutable directories
// holding a gzip-compressed chunks file, a text index and meta.json.
package block

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"example.com/tsdb/internal/fileutil"
)

// File names inside a block directory.
const (
	MetaFilename   = "meta.json"
	ChunksFilename = "chunks.gz"
	IndexFilename  = "index"
)

// Meta describes a block.
type Meta struct {
	ULID    string `json:"ulid"`
	MinTime int64  `json:"minTime"`
	MaxTime int64  `json:"maxTime"`
	Version int    `json:"version"`

	Stats struct {
		NumSeries  uint64 `json:"numSeries"`
		NumSamples uint64 `json:"numSamples"`
	} `json:"stats"`

	Compaction struct {
		Level   int      `json:"level"`
		Sources []string `json:"sources,omitempty"`
	} `json:"compaction"`

	// Checksum is the CRC32-C of the chunks file.
	Checksum uint32 `json:"checksum"`
}

// NewULID returns a sortable block id for t.
func NewULID(t time.Time) string {
	return fmt.Sprintf("%013x%08x", t.UnixMilli(), rand.Uint32())
}

// IsULID reports whether name looks like a block directory name.
func IsULID(name string) bool {
	if len(name) != 21 {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ReadMeta reads dir/meta.json.
func ReadMeta(dir string) (*Meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, MetaFilename))
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, MetaFilename), err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("%s: unsupported block version %d", dir, m.Version)
	}
	return &m, nil
}

// WriteMeta atomically writes dir/meta.json.
func WriteMeta(dir string, m *Meta) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return fileutil.ReplaceFile(filepath.Join(dir, MetaFilename), append(b, '\n'), 0o644)
}
