// Package pack stores sealed blobs in pack files.
//
// A pack file is a sequence of blobs followed by a JSON trailer listing them,
// the trailer length (4 bytes, big endian) and the magic "BKP1". Packs are
// named by the SHA-256 of their contents and live in packs/<xx>/<id>.
package pack

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"example.com/backupd/internal/chunker"
)

const (
	magic      = "BKP1"
	trailerLen = 8
)

// Entry locates one blob inside a pack.
type Entry struct {
	ID     chunker.ID `json:"id"`
	Offset int64      `json:"off"`
	Length int64      `json:"len"`
}

// Path returns where the pack with the given id lives below dir.
func Path(dir, id string) string {
	return filepath.Join(dir, id[:2], id)
}

// Compress gzips a blob before it is sealed.
func Compress(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decompress reverses Compress.
func Decompress(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// List returns the paths of all finished packs below dir, sorted.
func List(dir string) ([]string, error) {
	var packs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		if name := d.Name(); len(name) == 64 && strings.Trim(name, "0123456789abcdef") == "" {
			packs = append(packs, p)
		}
		return nil
	})
	sort.Strings(packs)
	return packs, err
}
