package archive

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrUnsafePath is returned for archive members that would escape the
// destination directory.
var ErrUnsafePath = errors.New("archive: unsafe path in archive")

// ListTarGz returns the member names of a tar.gz archive.
func ListTarGz(p string) ([]string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer gz.Close()

	var names []string
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, hdr.Name)
	}
}

// ExtractTarGz unpacks a tar.gz archive into dir (used by the smoke test
// that runs the packaged binary).
func ExtractTarGz(src, dir string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		target, err := safeJoin(dir, hdr.Name)
		if err != nil {
			return err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := func() (err error) {
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					return err
				}
				out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(hdr.Mode).Perm())
				if err != nil {
					return err
				}
				defer func() {
					if cerr := out.Close(); cerr != nil && err == nil {
						err = cerr
					}
				}()
				_, err = io.Copy(out, tr)
				return err
			}(); err != nil {
				return fmt.Errorf("archive: extract %s: %w", hdr.Name, err)
			}
		}
	}
	return gz.Close()
}

// ExtractZip unpacks a zip archive into dir.
func ExtractZip(src, dir string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, zf := range r.File {
		if err := extractZipFile(zf, dir); err != nil {
			return fmt.Errorf("archive: extract %s: %w", zf.Name, err)
		}
	}
	return nil
}

func extractZipFile(zf *zip.File, dir string) (err error) {
	target, err := safeJoin(dir, zf.Name)
	if err != nil {
		return err
	}
	if zf.FileInfo().IsDir() {
		return os.MkdirAll(target, 0o755)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, zf.Mode().Perm())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, rc)
	return err
}

// safeJoin joins name onto dir and rejects members escaping dir.
func safeJoin(dir, name string) (string, error) {
	target := filepath.Join(dir, filepath.FromSlash(name))
	rel, err := filepath.Rel(dir, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: %s", ErrUnsafePath, name)
	}
	return target, nil
}
