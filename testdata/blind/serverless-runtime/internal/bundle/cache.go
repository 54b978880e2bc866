// Package bundle caches function code bundles on local disk. Bundles are
// zip archives addressed by the sha256 of the archive; they are downloaded
// into a spool, verified, unpacked into a staging directory and renamed
// into place, so a reader never sees a half-written bundle.
package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Ref names one immutable bundle.
type Ref struct {
	Function string `json:"function"`
	Version  string `json:"version"`
	Digest   string `json:"digest"`
}

func (r Ref) String() string { return r.Function + "@" + r.Version }

// validate checks that the digest is a hex sha256, which also makes it
// safe to use as a file name.
func (r Ref) validate() error {
	if len(r.Digest) != sha256.Size*2 {
		return fmt.Errorf("bundle %s: bad digest length %d", r, len(r.Digest))
	}
	if _, err := hex.DecodeString(r.Digest); err != nil {
		return fmt.Errorf("bundle %s: digest: %w", r, err)
	}
	return nil
}

type entry struct {
	once    sync.Once
	dir     string
	err     error
	lastUse time.Time
}

// Cache is the on-disk bundle cache.
type Cache struct {
	root  string
	fetch *Fetcher
	logf  func(format string, args ...any)

	mu      sync.Mutex
	entries map[string]*entry
	ready   map[string]string // digest -> unpacked dir
}

// NewCache opens (creating if needed) a cache rooted at root.
func NewCache(root string, f *Fetcher) (*Cache, error) {
	for _, d := range []string{"bundles", "spool", "mirror"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return nil, err
		}
	}
	return &Cache{
		root:    root,
		fetch:   f,
		logf:    log.Printf,
		entries: make(map[string]*entry),
		ready:   make(map[string]string),
	}, nil
}

func (c *Cache) bundleDir(ref Ref) string { return filepath.Join(c.root, "bundles", ref.Digest) }
func (c *Cache) spoolPath(ref Ref) string { return filepath.Join(c.root, "spool", ref.Digest+".zip") }
func (c *Cache) mirrorPath(ref Ref) string {
	return filepath.Join(c.root, "mirror", ref.Digest+".zip")
}

// Get returns the unpacked directory of ref, downloading and unpacking it
// on first use. Concurrent callers for one digest share one download.
func (c *Cache) Get(ctx context.Context, ref Ref) (string, error) {
	if err := ref.validate(); err != nil {
		return "", err
	}
	c.mu.Lock()
	e, ok := c.entries[ref.Digest]
	if !ok {
		e = &entry{}
		c.entries[ref.Digest] = e
	}
	e.lastUse = time.Now()
	c.mu.Unlock()

	e.once.Do(func() {
		if dir := c.bundleDir(ref); isDir(dir) {
			e.dir = dir
			return
		}
		e.dir, e.err = c.materialise(ctx, ref)
	})
	if e.err != nil {
		c.forget(ref.Digest, e)
		return "", e.err
	}
	c.mu.Lock()
	c.ready[ref.Digest] = e.dir
	c.mu.Unlock()
	return e.dir, nil
}

// forget drops a failed entry so the next Get retries.
func (c *Cache) forget(digest string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[digest] == e {
		delete(c.entries, digest)
	}
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// materialise downloads, verifies and unpacks ref. The digest is checked
// in the background while the archive is unpacked.
func (c *Cache) materialise(ctx context.Context, ref Ref) (string, error) {
	archive, err := c.download(ctx, ref)
	if err != nil {
		return "", err
	}
	digestErr := make(chan error)
	go func() {
		digestErr <- verifyDigest(archive, ref.Digest) // HAZ goroutine-blocked-send
	}()
	staging, err := os.MkdirTemp(filepath.Join(c.root, "bundles"), ".staging-")
	if err != nil {
		return "", err
	}
	if err := unpack(archive, staging); err != nil {
		_ = os.RemoveAll(staging)
		return "", fmt.Errorf("bundle %s: %w", ref, err)
	}
	if err := <-digestErr; err != nil {
		_ = os.RemoveAll(staging)
		_ = os.Remove(archive)
		return "", err
	}
	final := c.bundleDir(ref)
	if err := os.Rename(staging, final); err != nil {
		_ = os.RemoveAll(staging)
		if isDir(final) {
			// Another faasd on this node won the race; its copy is identical.
			return final, nil
		}
		return "", err
	}
	return final, nil
}

// download puts ref's archive into the spool and returns its path.
func (c *Cache) download(ctx context.Context, ref Ref) (path string, err error) {
	final := c.spoolPath(ref)
	if _, err := os.Stat(final); err == nil {
		return final, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".dl-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = c.fetch.Fetch(ctx, ref, tmp); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	return final, nil
}

// verifyDigest checks the sha256 of the file at path.
func verifyDigest(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("bundle: digest mismatch for %s: got %s, want %s", filepath.Base(path), got, want)
	}
	return nil
}

// checksum hashes the locally mirrored archive of ref.
func (c *Cache) checksum(ref Ref) (string, error) {
	f, err := os.Open(c.mirrorPath(ref))
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		// An empty mirror file is a placeholder; the archive is in the spool.
		f, err = os.Open(c.spoolPath(ref))
		if err != nil {
			return "", err
		}
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Mirrored reports whether the mirror copy of ref matches its digest.
func (c *Cache) Mirrored(ref Ref) bool {
	sum, err := c.checksum(ref)
	return err == nil && sum == ref.Digest
}

// Touch marks a cached bundle as used, for eviction ordering.
func (c *Cache) Touch(digest string) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e := c.entries[digest]
	if e == nil {
		panic("bundle: Touch of unknown digest " + digest)
	}
	e.lastUse = time.Now()
	c.mu.Unlock()
}

// timed logs how long an operation took. Use as defer c.timed(op)().
func (c *Cache) timed(op string) func() {
	start := time.Now()
	return func() {
		c.logf("bundle: %s took %s", op, time.Since(start).Round(time.Millisecond))
	}
}

// Prefetch downloads refs into the spool without unpacking them.
func (c *Cache) Prefetch(ctx context.Context, refs []Ref) error {
	defer c.timed(fmt.Sprintf("prefetch of %d bundles", len(refs))) // HAZ defer-func-result-not-called
	var errs []error
	for _, ref := range refs {
		if err := ref.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := c.download(ctx, ref); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ref, err))
		}
	}
	return errors.Join(errs...)
}

// Evict removes unpacked bundles not used for maxAge.
func (c *Cache) Evict(maxAge time.Duration) (int, error) {
	defer c.timed("evict")()
	defer c.logf("bundle: eviction pass, max age %s", maxAge)
	cutoff := time.Now().Add(-maxAge)

	c.mu.Lock()
	var victims []string
	for digest, e := range c.entries {
		if e.lastUse.Before(cutoff) {
			victims = append(victims, digest)
			delete(c.entries, digest)
			delete(c.ready, digest)
		}
	}
	c.mu.Unlock()

	var errs []error
	for _, digest := range victims {
		if err := os.RemoveAll(filepath.Join(c.root, "bundles", digest)); err != nil {
			errs = append(errs, err)
		}
	}
	return len(victims), errors.Join(errs...)
}

// Usage returns the bytes used by unpacked bundles.
func (c *Cache) Usage() (int64, error) {
	var total int64
	err := filepath.WalkDir(filepath.Join(c.root, "bundles"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// WriteIndex records which digests are unpacked so that a restarted faasd
// can serve them without re-verifying.
func (c *Cache) WriteIndex() error {
	c.mu.Lock()
	digests := make([]string, 0, len(c.ready))
	for d := range c.ready {
		digests = append(digests, d)
	}
	c.mu.Unlock()
	sort.Strings(digests)

	tmp, err := os.CreateTemp(c.root, ".index-*")
	if err != nil {
		return err
	}
	defer tmp.Close() // HAZ defer-close-unchecked-write
	if _, err := io.WriteString(tmp, strings.Join(digests, "\n")+"\n"); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(c.root, "index"))
}

// LoadIndex reads the index written by WriteIndex and marks the listed
// bundles as ready if their directories still exist.
func (c *Cache) LoadIndex() (int, error) {
	data, err := os.ReadFile(filepath.Join(c.root, "index"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, d := range strings.Fields(string(data)) {
		dir := filepath.Join(c.root, "bundles", d)
		if !isDir(dir) {
			continue
		}
		c.ready[d] = dir
		e := &entry{dir: dir, lastUse: time.Now()}
		e.once.Do(func() {})
		c.entries[d] = e
		n++
	}
	return n, nil
}

// GetWithSize is Get that also reports the archive size the registry
// advertises, fetched concurrently with the unpack.
func (c *Cache) GetWithSize(ctx context.Context, ref Ref) (string, int64, error) {
	type sized struct {
		n   int64
		err error
	}
	size := make(chan sized)
	go func() {
		n, err := c.fetch.Size(ctx, ref)
		size <- sized{n, err} // HAZ goroutine-blocked-send
	}()
	dir, err := c.Get(ctx, ref)
	if err != nil {
		return "", 0, err
	}
	s := <-size
	return dir, s.n, s.err
}
