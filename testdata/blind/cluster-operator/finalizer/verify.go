package finalizer

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
)

// VerifyArchive reads an archive written by Archive to the end and returns
// the number of regular files it holds.
func VerifyArchive(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	n := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			n++
		}
	}
}

// ListArchive returns the names stored in an archive written by Archive.
func ListArchive(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var names []string
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, hdr.Name)
	}
}

// WriteManifest writes "sum  name" lines for sums, sorted by name, in the
// format of sha256sum.
func WriteManifest(path string, sums map[string]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if _, err := fmt.Fprintf(bw, "%s  %s\n", sums[name], name); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifestTo is WriteManifest for an open writer; the buffered data
// is flushed and the flush error returned.
func WriteManifestTo(w io.Writer, sums map[string]string) error {
	bw := bufio.NewWriter(w)
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if _, err := fmt.Fprintf(bw, "%s  %s\n", sums[name], name); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteChecksumsCSV writes name,sum records for sums.
func WriteChecksumsCSV(w io.Writer, sums map[string]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "sha256"}); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if err := cw.Write([]string{name, sums[name]}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CleanupAndNotify is Cleanup followed by the OnCleanup hook.
func (c *Cleaner) CleanupAndNotify(key, dir string) error {
	defer c.OnCleanup(key) // HAZ defer-nil-func
	return c.Cleanup(key, dir)
}

// CleanupWithHook runs the OnCleanup hook, if one is configured, after a
// successful Cleanup.
func (c *Cleaner) CleanupWithHook(key, dir string) error {
	if err := c.Cleanup(key, dir); err != nil {
		return err
	}
	if hook := c.OnCleanup; hook != nil {
		defer hook(key)
	}
	c.logger.Printf("finalizer: cleaned up %s", key)
	return nil
}
