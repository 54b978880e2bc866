package spool

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"example.com/logship/internal/parse"
)

// Write stores recs as a new chunk and returns its name. The chunk is
// written to a temporary file and renamed, so the shipper never sees a
// partial chunk.
func (s *Spool) Write(recs []parse.Record) (name string, err error) {
	name = s.nextName()
	final := filepath.Join(s.dir, name)
	tmp := final + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for i := range recs {
		if err = enc.Encode(&recs[i]); err != nil {
			return "", err
		}
	}
	if err = zw.Close(); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp, final); err != nil {
		return "", err
	}
	return name, nil
}

// WriteLines stores raw, unparsed lines as a chunk (passthrough mode).
func (s *Spool) WriteLines(lines []string) (string, error) {
	name := s.nextName()
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := io.WriteString(zw, l+"\n"); err != nil {
			return "", err
		}
	}
	return name, nil
}

// WriteCompressed stores an already encoded NDJSON payload as a chunk.
// Errors from closing the gzip stream and the file are returned.
func (s *Spool) WriteCompressed(payload []byte) (name string, err error) {
	name = s.nextName()
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return "", err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = zw.Write(payload)
	return name, err
}

// ReadChunk decodes all records of a chunk.
func (s *Spool) ReadChunk(name string) ([]parse.Record, error) {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", name, err)
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var out []parse.Record
	for {
		var r parse.Record
		if err := dec.Decode(&r); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, fmt.Errorf("chunk %s: %w", name, err)
		}
		out = append(out, r)
	}
}

// CountRecords returns the number of lines in a chunk without decoding them.
func (s *Spool) CountRecords(name string) (int, error) {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("chunk %s: %w", name, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// Manifest describes a set of exported chunks.
type Manifest struct {
	Created time.Time       `json:"created"`
	Chunks  []ManifestEntry `json:"chunks"`
}

// ManifestEntry is one chunk in a manifest.
type ManifestEntry struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Records int    `json:"records"`
}

// BuildManifest describes the given chunks.
func (s *Spool) BuildManifest(names []string) (Manifest, error) {
	m := Manifest{Created: time.Now().UTC()}
	for _, n := range names {
		info, err := os.Stat(filepath.Join(s.dir, n))
		if err != nil {
			return m, err
		}
		count, err := s.CountRecords(n)
		if err != nil {
			return m, err
		}
		m.Chunks = append(m.Chunks, ManifestEntry{Name: n, Size: info.Size(), Records: count})
	}
	return m, nil
}

// WriteManifest writes m as indented JSON to path.
func WriteManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// Export concatenates chunks into one file at dst. Concatenated gzip
// members form a valid gzip stream, so no recompression is needed.
func (s *Spool) Export(dst string, names []string) error {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	for _, n := range names {
		if err := s.copyChunk(out, n); err != nil {
			return err
		}
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

func (s *Spool) copyChunk(w io.Writer, name string) error {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
