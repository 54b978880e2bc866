package bundle

import (
	"archive/tar"
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ExportTar writes an unpacked bundle as a tar file, for debugging a
// function on a workstation.
func (c *Cache) ExportTar(ref Ref, dst string) error {
	dir := c.bundleDir(ref)
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-order-inverted
	defer f.Close()
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(tw, in)
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// VerifyAll re-hashes every spooled archive and returns the corrupt ones.
func (c *Cache) VerifyAll(refs []Ref) ([]Ref, error) {
	var bad []Ref
	for _, ref := range refs {
		f, err := os.Open(c.spoolPath(ref))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return bad, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return bad, err
		}
		if hex.EncodeToString(h.Sum(nil)) != ref.Digest {
			bad = append(bad, ref)
		}
	}
	return bad, nil
}

// VerifyEach is VerifyAll built on verifyDigest, one file open at a time.
func (c *Cache) VerifyEach(refs []Ref) []Ref {
	var bad []Ref
	for _, ref := range refs {
		if err := verifyDigest(c.spoolPath(ref), ref.Digest); err != nil && !errors.Is(err, fs.ErrNotExist) {
			bad = append(bad, ref)
		}
	}
	return bad
}

// Invalidate drops a bundle from memory and disk, e.g. after a bad deploy.
func (c *Cache) Invalidate(ref Ref) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[ref.Digest]
	if !ok {
		return nil
	}
	delete(c.ready, ref.Digest)
	c.forget(ref.Digest, e) // HAZ lock-reentry-under-defer
	return os.RemoveAll(c.bundleDir(ref))
}

// CountFiles returns the number of entries in the archive at path.
func CountFiles(path string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := zr.Close(); cerr != nil {
			err = cerr
		}
	}()
	return len(zr.File), err
}

// CountFilesChecked is CountFiles reporting the close error through a
// named result.
func CountFilesChecked(path string) (n int, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := zr.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return len(zr.File), nil
}

// logUsage walks the unpacked bundles and logs their total size.
func (c *Cache) logUsage() {
	var files int
	var bytes int64
	err := filepath.WalkDir(filepath.Join(c.root, "bundles"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && d.Type().IsRegular() {
			files++
			bytes += info.Size()
		}
		return nil
	})
	c.logf("bundle: cache holds %d files, %d bytes (walk error: %v)", files, bytes, err)
}

// Compact removes staging directories left by crashed unpacks.
func (c *Cache) Compact(olderThan time.Duration) (int, error) {
	defer c.logUsage() // HAZ defer-blocking-call
	dir := filepath.Join(c.root, "bundles")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".staging-") && !strings.HasPrefix(e.Name(), ".restage-") {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// Restage unpacks a spooled archive again into a fresh directory, e.g.
// after the unpacked copy was found corrupt.
func (c *Cache) Restage(ref Ref) (string, error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	staging, err := os.MkdirTemp(filepath.Join(c.root, "bundles"), ".restage-")
	if err != nil {
		return "", err
	}
	cleanup = func() { _ = os.RemoveAll(staging) }
	if err := unpack(c.spoolPath(ref), staging); err != nil {
		return "", err
	}
	final := c.bundleDir(ref)
	if err := os.RemoveAll(final); err != nil {
		return "", err
	}
	if err := os.Rename(staging, final); err != nil {
		return "", err
	}
	cleanup = func() {}
	return final, nil
}

// FetchAll downloads refs into the spool concurrently and returns the
// spool path of each digest.
func (c *Cache) FetchAll(ctx context.Context, refs []Ref) (map[string]string, error) {
	type fetched struct {
		digest, path string
		err          error
	}
	results := make(chan fetched, len(refs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, ref := range refs {
		go func() {
			path, err := c.download(ctx, ref)
			results <- fetched{ref.Digest, path, err}
		}()
	}
	paths := make(map[string]string, len(refs))
	for range refs {
		r := <-results
		if r.err != nil {
			return nil, fmt.Errorf("fetch %s: %w", r.digest, r.err)
		}
		paths[r.digest] = r.path
	}
	return paths, nil
}
