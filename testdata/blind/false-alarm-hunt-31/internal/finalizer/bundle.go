package finalizer

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Unpack extracts a .tar.gz bundle into a temporary directory, calls fn
// with it, and removes the directory afterwards.
func Unpack(r io.Reader, fn func(dir string) error) error {
	tmp, err := os.MkdirTemp("", "bundle-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	if err := extract(r, tmp); err != nil {
		return err
	}
	return fn(tmp)
}

// UnpackChecked is Unpack with an explicit, checked removal at the end.
func UnpackChecked(r io.Reader, fn func(dir string) error) error {
	tmp, err := os.MkdirTemp("", "bundle-")
	if err != nil {
		return err
	}
	err = extract(r, tmp)
	if err == nil {
		err = fn(tmp)
	}
	return errors.Join(err, os.RemoveAll(tmp))
}

// extract reads the gzip stream (a reader: its Close is not a write) and
// writes each regular file through writeEntry.
func extract(r io.Reader, dir string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			p, err := safeJoin(dir, hdr.Name)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeEntry(dir, hdr, tr); err != nil {
				return err
			}
		}
	}
}

// writeEntry writes one file; the close error is joined into err.
func writeEntry(dir string, hdr *tar.Header, r io.Reader) (err error) {
	target, err := safeJoin(dir, hdr.Name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, fs.FileMode(hdr.Mode)&0o755)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.CopyN(f, r, hdr.Size)
	return err
}

func safeJoin(dir, name string) (string, error) {
	p := filepath.Join(dir, filepath.Clean("/"+name))
	if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
		return "", fmt.Errorf("bundle: entry %q escapes %s", name, dir)
	}
	return p, nil
}
