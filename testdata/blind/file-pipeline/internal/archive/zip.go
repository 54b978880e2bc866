package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"example.com/filepipeline/internal/fsutil"
	"example.com/filepipeline/internal/walk"
)

// copyFileTo copies the file at path into w.
func copyFileTo(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// WriteZip writes the files (archive name to source path) into a zip
// archive on w, in name order.
func WriteZip(w io.Writer, files map[string]string) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fw, err := zw.Create(name)
		if err != nil {
			return err
		}
		if err := copyFileTo(fw, files[name]); err != nil {
			return fmt.Errorf("zip %s: %w", name, err)
		}
	}
	return nil
}

// BuildZip writes a deflated zip of root to dst atomically.
func BuildZip(dst, root string) error {
	return fsutil.WriteWith(dst, 0o644, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for path, info := range walk.Files(root) {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			hdr, err := zip.FileInfoHeader(info)
			if err != nil {
				return err
			}
			hdr.Name = filepath.ToSlash(rel)
			hdr.Method = zip.Deflate
			fw, err := zw.CreateHeader(hdr)
			if err != nil {
				return err
			}
			if err := copyFileTo(fw, path); err != nil {
				return fmt.Errorf("zip %s: %w", path, err)
			}
		}
		return zw.Close()
	})
}

// ListZip returns the entry names of the zip archive at path.
func ListZip(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// ZipFiles yields the regular-file entries of an archive whose names match
// the prefix.
func ZipFiles(zr *zip.Reader, prefix string) iter.Seq[*zip.File] {
	return func(yield func(*zip.File) bool) {
		for _, f := range zr.File {
			if f.FileInfo().IsDir() || !strings.HasPrefix(f.Name, prefix) {
				continue
			}
			if !yield(f) {
				return
			}
		}
	}
}

// ExtractZip unpacks the archive at src into dir.
func ExtractZip(src, dir string) (n int, err error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	for f := range ZipFiles(&zr.Reader, "") {
		target, err := safeJoin(dir, f.Name)
		if err != nil {
			return n, err
		}
		if err := extractZipFile(f, target); err != nil {
			return n, fmt.Errorf("extract %s: %w", f.Name, err)
		}
		n++
	}
	return n, nil
}

// extractZipFile writes one entry to target.
func extractZipFile(f *zip.File, target string) (err error) {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, f.Mode().Perm()|0o200)
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

// ReadZipEntry returns the content of one named entry.
func ReadZipEntry(zr *zip.Reader, name string) ([]byte, error) {
	f, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ZipSize returns the total uncompressed size of the archive at path.
func ZipSize(path string) (uint64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total == 0 && len(zr.File) > 0 {
		return 0, errors.New("archive: zip reports zero size for non-empty archive")
	}
	return total, nil
}
