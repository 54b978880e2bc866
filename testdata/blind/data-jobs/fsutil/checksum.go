package fsutil

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ReaderSHA256 returns the hex SHA-256 of everything read from r.
func ReaderSHA256(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FileSHA256 returns the hex SHA-256 of the file at path.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // ok: read-only
	return ReaderSHA256(f)
}

// ChecksumAll returns the SHA-256 of every path.
func ChecksumAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		sum, err := ReaderSHA256(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		sums[p] = sum
	}
	return sums, nil
}

// Checksums is ChecksumAll with one open file at a time.
func Checksums(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := FileSHA256(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		sums[p] = sum
	}
	return sums, nil
}

// Manifest maps slash-separated relative paths to hex SHA-256 sums.
type Manifest map[string]string

// BuildManifest checksums every regular file below root.
func BuildManifest(root string) (Manifest, error) {
	m := Manifest{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		sum, err := FileSHA256(path)
		if err != nil {
			return err
		}
		m[filepath.ToSlash(rel)] = sum
		return nil
	})
	return m, err
}

// WriteTo writes "sum  path" lines sorted by path, in sha256sum format.
func (m Manifest) WriteTo(w io.Writer) (int64, error) {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	bw := bufio.NewWriter(w)
	var total int64
	for _, name := range names {
		n, err := fmt.Fprintf(bw, "%s  %s\n", m[name], name)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, bw.Flush()
}

// WriteManifest writes m to path atomically.
func WriteManifest(path string, m Manifest) error {
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes(), 0o644)
}

// ReadManifest parses a sha256sum-style file.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := Manifest{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		sum, name, ok := strings.Cut(text, "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s:%d: malformed line", path, line)
		}
		m[name] = sum
	}
	return m, sc.Err()
}

// Verify checks the files below root against m and returns the names that differ or are missing.
func Verify(root string, m Manifest) ([]string, error) {
	var bad []string
	for name, want := range m {
		got, err := FileSHA256(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			if os.IsNotExist(err) {
				bad = append(bad, name)
				continue
			}
			return nil, err
		}
		if got != want {
			bad = append(bad, name)
		}
	}
	sort.Strings(bad)
	return bad, nil
}

type cacheKey struct {
	path  string
	size  int64
	mtime int64
}

// SumCache memoizes checksums keyed by path, size and modification time.
type SumCache struct {
	mu      sync.Mutex
	entries map[cacheKey]string
	order   []cacheKey
	max     int
}

// NewSumCache keeps at most max entries.
func NewSumCache(max int) *SumCache {
	return &SumCache{entries: make(map[cacheKey]string), max: max}
}

// Len returns the number of cached sums.
func (c *SumCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func keyFor(path string, fi fs.FileInfo) cacheKey {
	return cacheKey{path: path, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}

// Get returns a cached sum for the file as described by fi.
func (c *SumCache) Get(path string, fi fs.FileInfo) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sum, ok := c.entries[keyFor(path, fi)]
	return sum, ok
}

// Put stores sum and evicts the oldest entries beyond the limit.
func (c *SumCache) Put(path string, fi fs.FileInfo, sum string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := keyFor(path, fi)
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = sum
	c.trim() // HAZ lock-reentry-under-defer
}

func (c *SumCache) trim() {
	for c.Len() > c.max && len(c.order) > 0 {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// SetMax changes the limit and evicts immediately.
func (c *SumCache) SetMax(max int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	c.evictLocked()
}

// evictLocked must be called with c.mu held.
func (c *SumCache) evictLocked() {
	for len(c.entries) > c.max && len(c.order) > 0 {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// Sum returns the checksum of path, using the cache when the file is unchanged.
func (c *SumCache) Sum(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if sum, ok := c.Get(path, fi); ok {
		return sum, nil
	}
	sum, err := FileSHA256(path)
	if err != nil {
		return "", err
	}
	c.Put(path, fi, sum)
	return sum, nil
}
