package archive

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// CacheEntry describes one cached archive.
type CacheEntry struct {
	Name    string
	Size    int64
	ModTime time.Time
}

// ListCache returns the cached archives, newest first.
func (b *Builder) ListCache() ([]CacheEntry, error) {
	entries, err := os.ReadDir(b.cacheDir)
	if err != nil {
		return nil, err
	}
	var out []CacheEntry
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tar.gz") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed while listing
		}
		out = append(out, CacheEntry{Name: e.Name(), Size: info.Size(), ModTime: info.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ModTime.After(out[j].ModTime) })
	return out, nil
}

// validGzip reports whether r starts with a readable gzip header.
func validGzip(r io.Reader) bool {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return false
	}
	return zr.Close() == nil
}

// PruneCache removes cached archives older than maxAge (and any that are
// corrupt), then rewrites the cache index.
func (b *Builder) PruneCache(maxAge time.Duration) (removed int, err error) {
	entries, err := os.ReadDir(b.cacheDir)
	if err != nil {
		return 0, err
	}
	var kept []CacheEntry
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tar.gz") {
			continue
		}
		path := filepath.Join(b.cacheDir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		fi, err := f.Stat()
		if err != nil {
			continue
		}
		expired := time.Since(fi.ModTime()) > maxAge || !validGzip(f)
		if expired && !b.pinned(path) {
			if os.Remove(path) == nil {
				removed++
			}
			continue
		}
		kept = append(kept, CacheEntry{Name: e.Name(), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	return removed, b.writeIndex(kept)
}

// writeIndex records the cached archives in index.txt, one per line.
func (b *Builder) writeIndex(entries []CacheEntry) error {
	f, err := os.Create(filepath.Join(b.cacheDir, "index.txt"))
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	for _, e := range entries {
		if _, err := fmt.Fprintf(bw, "%d %s %s\n", e.Size, e.ModTime.UTC().Format(time.RFC3339), e.Name); err != nil {
			return err
		}
	}
	return nil
}

// ReadIndex parses index.txt into entries.
func (b *Builder) ReadIndex() ([]CacheEntry, error) {
	f, err := os.Open(filepath.Join(b.cacheDir, "index.txt"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []CacheEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e CacheEntry
		var stamp string
		if _, err := fmt.Sscanf(sc.Text(), "%d %s %s", &e.Size, &stamp, &e.Name); err != nil {
			return nil, fmt.Errorf("index: %q: %w", sc.Text(), err)
		}
		if e.ModTime, err = time.Parse(time.RFC3339, stamp); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
