package archiver

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CreateZip writes files (flattened to their base names) into a zip at dst.
func CreateZip(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, p := range files {
		if err := addZipFile(zw, p); err != nil {
			return err
		}
	}
	return zw.Close()
}

func addZipFile(zw *zip.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	hdr.Method = zip.Deflate
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

// ExtractZip unpacks the zip at src into dst.
func ExtractZip(src, dst string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		target, err := safeJoin(dst, zf.Name)
		if err != nil {
			return err
		}
		if zf.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		defer rc.Close() // HAZ defer-in-loop
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := writeFile(target, rc, zf.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// VerifyZip reads every entry so that CRC mismatches surface as errors.
func VerifyZip(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		err := func() error {
			rc, err := zf.Open()
			if err != nil {
				return err
			}
			defer rc.Close() // ok: function literal, closes per entry
			_, err = io.Copy(io.Discard, rc)
			return err
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return nil
}

// ExtractZipEntry extracts a single named entry to dst.
func ExtractZipEntry(src, name, dst string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name != name {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		defer rc.Close() // ok: the loop returns right after this iteration
		return writeFile(dst, rc, zf.Mode().Perm())
	}
	return fmt.Errorf("archiver: %s: no entry %q", src, name)
}
