package export

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
)

// addFile copies one file into the archive; its read-only handle is closed
// when addFile returns, once per file.
func addFile(zw *zip.Writer, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(src))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// Bundle zips srcs into dst and checks every close.
func Bundle(dst string, srcs []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, src := range srcs {
		if err := addFile(zw, src); err != nil {
			return fmt.Errorf("add %s: %w", src, err)
		}
	}
	return zw.Close()
}

// BundleDir zips every regular file of dir into dst, one file at a time.
func BundleDir(dst, dir string) (err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		err := func() error {
			in, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			defer in.Close()
			w, err := zw.Create(e.Name())
			if err != nil {
				return err
			}
			_, err = io.Copy(w, in)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// BundleMany zips srcs into dst, copying each source inline.
func BundleMany(dst string, srcs []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, src := range srcs {
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer in.Close() // HAZ defer-in-loop
		w, err := zw.Create(filepath.Base(src))
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, in); err != nil {
			return err
		}
	}
	return zw.Close()
}

// StreamZip writes files as a zip archive to the response.
func StreamZip(w http.ResponseWriter, name string, files map[string][]byte) error {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fw, err := zw.Create(n)
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[n]); err != nil {
			return err
		}
	}
	return nil
}

// StreamZipChecked is StreamZip with the central directory error reported.
func StreamZipChecked(w io.Writer, files map[string][]byte) error {
	zw := zip.NewWriter(w)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fw, err := zw.Create(n)
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// CopyFile copies src to dst; src is read-only, dst's close is checked.
func CopyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}
