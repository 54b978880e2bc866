package replay

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Ext is the file extension of replay files.
const Ext = ".replay.gz"

// IndexEntry describes one replay file.
type IndexEntry struct {
	File   string    `json:"file"`
	Size   int64     `json:"size"`
	Header Header    `json:"header"`
	Mod    time.Time `json:"modified"`
}

// WriteFile writes a complete replay in one go (used by tools and tests).
func WriteFile(path string, h Header, recs []Record) (err error) {
	if h.Version == 0 {
		h.Version = FormatVersion
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	if err := writeHeader(zw, h); err != nil {
		return err
	}
	for _, rec := range recs {
		if err := writeRecord(zw, rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndex stores the index as gzip-compressed JSON. The file is closed
// after the gzip stream has been flushed into it.
func WriteIndex(path string, entries []IndexEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(entries)
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CompressChunks gzips replay chunks in parallel for upload. Chunks that are
// not done within timeout fail the whole batch.
func CompressChunks(chunks [][]byte, timeout time.Duration) ([][]byte, error) {
	type result struct {
		i   int
		b   []byte
		err error
	}
	results := make(chan result, len(chunks))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i, c := range chunks {
		go func(i int, c []byte) {
			b, err := gzipBytes(c)
			results <- result{i: i, b: b, err: err}
		}(i, c)
	}
	out := make([][]byte, len(chunks))
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for range chunks {
		select {
		case r := <-results:
			if r.err != nil {
				return nil, fmt.Errorf("chunk %d: %w", r.i, r.err)
			}
			out[r.i] = r.b
		case <-timer.C:
			return nil, errors.New("replay: compression timed out")
		}
	}
	return out, nil
}

func checksumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ChecksumAll hashes files in parallel. Every worker sends exactly once and
// every send is received before the channel is closed.
func ChecksumAll(paths []string) map[string]string {
	type sum struct {
		path, hex string
		err       error
	}
	sums := make(chan sum)
	defer close(sums)
	for _, p := range paths {
		go func(p string) {
			h, err := checksumFile(p)
			sums <- sum{path: p, hex: h, err: err}
		}(p)
	}
	out := make(map[string]string, len(paths))
	for range paths {
		s := <-sums
		if s.err != nil {
			log.Printf("replay: checksum %s: %v", s.path, s.err)
			continue
		}
		out[s.path] = s.hex
	}
	return out
}

func readHeaderFile(path string) (Header, error) {
	rd, err := Open(path)
	if err != nil {
		return Header{}, err
	}
	defer rd.Close()
	return rd.Header(), nil
}

// Index lists the replays in dir, newest first. Unreadable files are skipped.
func Index(dir string) ([]IndexEntry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []IndexEntry
	for _, de := range des {
		if de.IsDir() || !strings.HasSuffix(de.Name(), Ext) {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		h, err := readHeaderFile(filepath.Join(dir, de.Name()))
		if err != nil {
			log.Printf("replay: skipping %s: %v", de.Name(), err)
			continue
		}
		out = append(out, IndexEntry{File: de.Name(), Size: info.Size(), Header: h, Mod: info.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Mod.After(out[j].Mod) })
	return out, nil
}

// Prune deletes all but the keep newest replays in dir.
func Prune(dir string, keep int) (int, error) {
	entries, err := Index(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for i := keep; i < len(entries); i++ {
		if err := os.Remove(filepath.Join(dir, entries[i].File)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
