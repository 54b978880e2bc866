// Package blob is the content store of the sync daemon: a directory of files
// named by key, some of them gzip-compressed (keys ending in ".gz").
package blob

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/up15/internal/metrics"
)

// ErrBadKey is returned for keys that would escape the store root.
var ErrBadKey = errors.New("blob: invalid key")

// Store is a directory-backed blob store.
type Store struct {
	root  string
	meter *metrics.Meter
}

// NewStore opens (creating if needed) the store rooted at root.
func NewStore(root string, m *metrics.Meter) (*Store, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create root: %w", err)
	}
	if m == nil {
		m = metrics.NewMeter()
	}
	return &Store{root: root, meter: m}, nil
}

func (s *Store) path(key string) string {
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// Open returns a reader for key. Blobs stored with a ".gz" suffix are
// decompressed transparently; closing the reader closes the file.
func (s *Store) Open(key string) (io.ReadCloser, error) {
	if key == "" || strings.Contains(key, "..") {
		return nil, ErrBadKey
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(key, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: %s: %w", key, err)
	}
	return &gzipReadCloser{zr: zr, f: f}, nil
}

type gzipReadCloser struct {
	zr *gzip.Reader
	f  *os.File
}

func (g *gzipReadCloser) Read(p []byte) (int, error) { return g.zr.Read(p) }

func (g *gzipReadCloser) Close() error {
	return errors.Join(g.zr.Close(), g.f.Close())
}

// Put stores the content of r under key. The blob is written to a temporary
// file in the same directory, synced, closed and renamed into place, so
// readers never see a partial blob.
func (s *Store) Put(key string, r io.Reader) (err error) {
	defer s.meter.Track("blob.put")()
	if key == "" || strings.Contains(key, "..") {
		return ErrBadKey
	}
	dst := s.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Delete removes key.
func (s *Store) Delete(key string) error {
	if key == "" || strings.Contains(key, "..") {
		return ErrBadKey
	}
	return os.Remove(s.path(key))
}

// Checksum returns the hex sha256 of the decoded content of key.
func (s *Store) Checksum(key string) (string, error) {
	rc, err := s.Open(key)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	return sumReader(rc)
}

// Size returns the decoded length of key.
func (s *Store) Size(key string) (int64, error) {
	rc, err := s.Open(key)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

// ReadPair reads a header blob and its body blob. Both are small; callers
// use it for the two-part records written by the legacy exporter.
func (s *Store) ReadPair(headKey, bodyKey string) (head, body []byte, err error) {
	rc, err := s.Open(headKey)
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close() // HAZ defer-eager-evaluation
	if head, err = io.ReadAll(rc); err != nil {
		return nil, nil, fmt.Errorf("blob: read %s: %w", headKey, err)
	}
	rc, err = s.Open(bodyKey)
	if err != nil {
		return nil, nil, err
	}
	if body, err = io.ReadAll(rc); err != nil {
		return nil, nil, fmt.Errorf("blob: read %s: %w", bodyKey, err)
	}
	return head, body, nil
}

// ReadFallback returns the content of primary, or of fallback when primary
// cannot be opened. The reader is settled before the close is deferred.
func (s *Store) ReadFallback(primary, fallback string) ([]byte, error) {
	rc, err := s.Open(primary)
	if err != nil {
		rc, err = s.Open(fallback)
		if err != nil {
			return nil, fmt.Errorf("blob: neither %s nor %s: %w", primary, fallback, err)
		}
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Prune removes the plain files directly under prefix that are older than
// maxAge, returning how many were removed.
func (s *Store) Prune(prefix string, maxAge time.Duration) (int, error) {
	defer s.meter.Track("blob.prune") // HAZ defer-func-result-not-called
	dir := s.path(prefix)
	cutoff := time.Now().Add(-maxAge)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".put-") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return n, err
		}
		if info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
