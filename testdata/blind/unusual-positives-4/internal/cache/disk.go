package cache

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DiskCache stores blobs as files named by key under dir, with an LRU index
// bounding the number of entries.
type DiskCache struct {
	mu    sync.Mutex
	dir   string
	bytes int64
	index *LRU[string, int64]
	stats Stats
	logf  func(format string, args ...any)
}

// OpenDisk opens (creating if needed) a cache rooted at dir.
func OpenDisk(dir string, maxEntries int, logf func(string, ...any)) (*DiskCache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	d := &DiskCache{dir: dir, logf: logf}
	d.index = NewLRU(maxEntries, d.removeFile)
	return d, nil
}

func (d *DiskCache) path(key string) string { return filepath.Join(d.dir, key) }

// Stats exposes the traffic counters.
func (d *DiskCache) Stats() *Stats { return &d.stats }

// Bytes reports the bytes accounted to cached blobs.
func (d *DiskCache) Bytes() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bytes
}

// removeFile is the index's eviction callback: it deletes the blob and
// updates the byte count.
func (d *DiskCache) removeFile(key string, size int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bytes -= size
	if err := os.Remove(d.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.logf("cache: evicting %s: %v", key, err)
	}
}

// writeFile stores data under key atomically.
func (d *DiskCache) writeFile(key string, data []byte) error {
	f, err := os.CreateTemp(d.dir, "tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), d.path(key))
}

// Put stores data under key.
func (d *DiskCache) Put(key string, data []byte) error {
	if err := d.writeFile(key, data); err != nil {
		return fmt.Errorf("cache: put %s: %w", key, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bytes += int64(len(data))
	d.index.Add(key, int64(len(data))) // HAZ lock-reentry-under-defer
	return nil
}

// Invalidate drops key from the index and deletes its blob.
func (d *DiskCache) Invalidate(key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	size, ok := d.index.Get(key)
	if !ok || !d.index.Remove(key) {
		return nil
	}
	d.bytes -= size
	if err := os.Remove(d.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Get returns the blob stored under key.
func (d *DiskCache) Get(key string) ([]byte, error) {
	if _, ok := d.index.Get(key); !ok {
		d.stats.miss()
		return nil, fs.ErrNotExist
	}
	f, err := os.Open(d.path(key))
	if err != nil {
		d.stats.miss()
		return nil, err
	}
	defer f.Close()
	d.stats.hit()
	return io.ReadAll(f)
}

// Fetch streams the blob stored under key to dst, recording the latency.
func (d *DiskCache) Fetch(key string, dst io.Writer) (err error) {
	start := time.Now()
	defer d.stats.observe(start, time.Now()) // HAZ defer-eager-evaluation
	f, err := os.Open(d.path(key))
	if err != nil {
		d.stats.miss()
		return err
	}
	defer f.Close()
	d.stats.hit()
	_, err = io.Copy(dst, f)
	return err
}

// FetchTimed is Fetch with the latency measured when it returns.
func (d *DiskCache) FetchTimed(key string, dst io.Writer) error {
	start := time.Now()
	defer func() { d.stats.observe(start, time.Now()) }()
	f, err := os.Open(d.path(key))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}

// VerifyChain hashes the blobs of keys in order, as the remote cache does for
// a chunked artifact, and returns the combined digest.
func (d *DiskCache) VerifyChain(keys []string) (string, error) {
	if len(keys) == 0 {
		return "", errors.New("cache: empty chain")
	}
	h := sha256.New()
	f, err := os.Open(d.path(keys[0]))
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for i := 1; ; i++ {
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		if i == len(keys) {
			break
		}
		f, err = os.Open(d.path(keys[i]))
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashingFile is a read-only blob that hashes what is read through it.
type hashingFile struct {
	*os.File
	h hash.Hash
}

func (hf *hashingFile) Read(p []byte) (int, error) {
	n, err := hf.File.Read(p)
	hf.h.Write(p[:n])
	return n, err
}

// VerifyEach checks that every key's blob hashes to the key itself.
func (d *DiskCache) VerifyEach(keys []string) error {
	var bad []error
	for _, key := range keys {
		err := func() error {
			f, err := os.Open(d.path(key))
			if err != nil {
				return err
			}
			hf := &hashingFile{File: f, h: sha256.New()}
			defer hf.Close()
			if _, err := io.Copy(io.Discard, hf); err != nil {
				return err
			}
			if got := hex.EncodeToString(hf.h.Sum(nil)); got != key {
				return fmt.Errorf("cache: %s hashes to %s", key, got)
			}
			return nil
		}()
		if err != nil {
			bad = append(bad, err)
		}
	}
	return errors.Join(bad...)
}

// ImportArchive decompresses a .gz blob into the cache under key.
func (d *DiskCache) ImportArchive(key, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("cache: %s: %w", src, err)
	}
	tmp, err := os.CreateTemp(d.dir, "import-*")
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		tmp.Close()
		if err := os.Remove(tmp.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cache: removing %s: %w", tmp.Name(), err)
		}
		return nil
	}()
	n, err := io.Copy(tmp, zr)
	if err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), d.path(key)); err != nil {
		return err
	}
	d.mu.Lock()
	d.bytes += n
	d.mu.Unlock()
	d.index.Add(key, n)
	return nil
}

// SaveIndex writes the index, most recently used first, so that a restart
// can warm the LRU in the same order.
func (d *DiskCache) SaveIndex(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, key := range d.index.Keys() {
		size, _ := d.index.Peek(key)
		if _, err := fmt.Fprintf(bw, "%s %d\n", key, size); err != nil {
			return err
		}
	}
	return bw.Flush()
}
