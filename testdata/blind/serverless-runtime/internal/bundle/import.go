package bundle

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Import copies a local archive into the spool and returns its ref.
func (c *Cache) Import(path string, m Manifest) (ref Ref, err error) {
	in, err := os.Open(path)
	if err != nil {
		return Ref{}, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Join(c.root, "spool"), ".import-*")
	if err != nil {
		return Ref{}, err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(tmp, h), in); err != nil {
		_ = tmp.Close()
		return Ref{}, err
	}
	if err = tmp.Close(); err != nil {
		return Ref{}, err
	}
	ref = Ref{Function: m.Function, Version: "local", Digest: hex.EncodeToString(h.Sum(nil))}
	if err = os.Rename(tmp.Name(), c.spoolPath(ref)); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// ImportAll seeds the spool from archives shipped on the node image.
func (c *Cache) ImportAll(paths []string) ([]Ref, error) {
	var refs []Ref
	for _, p := range paths {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return refs, fmt.Errorf("import %s: %w", p, err)
		}
		defer zr.Close() // HAZ defer-in-loop
		m, err := manifestFrom(&zr.Reader)
		if err != nil {
			return refs, fmt.Errorf("import %s: %w", p, err)
		}
		ref, err := c.Import(p, m)
		if err != nil {
			return refs, fmt.Errorf("import %s: %w", p, err)
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// ImportDir imports every archive in dir, one at a time.
func (c *Cache) ImportDir(dir string) ([]Ref, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.zip"))
	if err != nil {
		return nil, err
	}
	var refs []Ref
	var errs []error
	for _, p := range paths {
		ref, err := func() (Ref, error) {
			zr, err := zip.OpenReader(p)
			if err != nil {
				return Ref{}, err
			}
			defer zr.Close()
			m, err := manifestFrom(&zr.Reader)
			if err != nil {
				return Ref{}, err
			}
			return c.Import(p, m)
		}()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(p), err))
			continue
		}
		refs = append(refs, ref)
	}
	return refs, errors.Join(errs...)
}
