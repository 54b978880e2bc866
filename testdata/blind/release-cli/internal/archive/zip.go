package archive

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
)

// WriteZip writes entries into a zip archive at dst (used for Windows builds).
func WriteZip(dst string, entries []Entry) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	zw := zip.NewWriter(f)
	for _, e := range entries {
		if err := addZipEntry(zw, e); err != nil {
			return fmt.Errorf("archive: %s: %w", e.Name, err)
		}
	}
	return zw.Close()
}

// WriteZipChecked is WriteZip for callers that need every write error: the
// zip writer and the file are both closed explicitly on the success path.
func WriteZipChecked(dst string, entries []Entry) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()

	zw := zip.NewWriter(f)
	zw.SetComment("built by relcli")
	for _, e := range entries {
		if err := addZipEntry(zw, e); err != nil {
			return fmt.Errorf("archive: %s: %w", e.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// addZipEntry deflates one file into the archive.
func addZipEntry(zw *zip.Writer, e Entry) error {
	in, err := os.Open(e.Src)
	if err != nil {
		return err
	}
	defer in.Close()

	fi, err := in.Stat()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(fi)
	if err != nil {
		return err
	}
	hdr.Name = e.Name
	hdr.Method = zip.Deflate
	hdr.Modified = reproducibleTime
	if e.Mode != 0 {
		hdr.SetMode(e.Mode)
	}
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// ZipDir adds every regular file below root to zw under prefix, using
// filepath.Walk so that it also runs on old build hosts' vendored copies.
func ZipDir(zw *zip.Writer, root, prefix string) error {
	return filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() || !info.Mode().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		w, err := zw.Create(path.Join(prefix, filepath.ToSlash(rel)))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		return err
	})
}

// ZipFiles archives each path into the zip at dst, closing every source file
// before the next one is opened.
func ZipFiles(dst string, paths []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	zw := zip.NewWriter(out)
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			w, err := zw.Create(filepath.Base(p))
			if err != nil {
				return err
			}
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("archive: %s: %w", p, err)
		}
	}
	return zw.Close()
}

// ListZip returns the member names of a zip archive.
func ListZip(p string) ([]string, error) {
	r, err := zip.OpenReader(p)
	defer r.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(r.File))
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	return names, nil
}
