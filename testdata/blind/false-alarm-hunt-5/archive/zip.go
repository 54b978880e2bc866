package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// CreateZip writes files (relative to root) into dst. The zip writer is
// closed explicitly (it writes the central directory) and checked; the
// file's close error is joined into the named result.
func (b *Builder) CreateZip(dst, root string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, name := range files {
		if err := addZipFile(zw, filepath.Join(root, name), name); err != nil {
			zw.Close()
			return fmt.Errorf("adding %s: %w", name, err)
		}
	}
	return zw.Close()
}

func addZipFile(zw *zip.Writer, path, name string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(fi)
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(name)
	hdr.Method = zip.Deflate
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// ZipEntry describes a member of a zip file.
type ZipEntry struct {
	Name     string
	Size     uint64
	Modified time.Time
}

// ListZip lists a zip file's members; it only reads.
func ListZip(path string) ([]ZipEntry, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out := make([]ZipEntry, 0, len(zr.File))
	for _, zf := range zr.File {
		out = append(out, ZipEntry{Name: zf.Name, Size: zf.UncompressedSize64, Modified: zf.Modified})
	}
	return out, nil
}

// ExtractZip unpacks src into dst. Each member's reader is closed inside a
// per-member function literal.
func ExtractZip(src, dst string) (int, error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	n := 0
	for _, zf := range zr.File {
		target, err := safeJoin(dst, zf.Name)
		if err != nil {
			return n, err
		}
		if zf.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return n, err
			}
			continue
		}
		err = func() error {
			rc, err := zf.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return writeFile(target, rc, zf.Mode())
		}()
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
