package fsutil

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"strings"
)

// CompressFile gzips src into dst.
func CompressFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()
	defer out.Close() // HAZ defer-order-inverted
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// CompressFileChecked gzips src into dst, closing the gzip stream before the file.
func CompressFileChecked(src, dst string) (err error) {
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
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	defer func() {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}() // ok: registered after the file's close, so it runs first
	_, err = io.Copy(zw, in)
	return err
}

// ZipFiles stores the named files flat in a new zip archive at dst.
func ZipFiles(dst string, names []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}()
	defer func() { // HAZ defer-order-inverted
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	for _, name := range names {
		if err := addZipEntry(zw, name); err != nil {
			return err
		}
	}
	return nil
}

func addZipEntry(zw *zip.Writer, name string) error {
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(name))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// TarGz writes a .tar.gz of the regular files directly under dir.
func TarGz(dir, dst string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	defer func() {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}()
	tw := tar.NewWriter(zw)
	defer func() {
		if cerr := tw.Close(); err == nil {
			err = cerr
		}
	}()

	infos, err := ioutil.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, fi := range infos {
		if !fi.Mode().IsRegular() {
			continue
		}
		if err := addTarEntry(tw, filepath.Join(dir, fi.Name()), fi); err != nil {
			return err
		}
	}
	return nil
}

func addTarEntry(tw *tar.Writer, path string, fi os.FileInfo) error {
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// Gunzip decompresses src and returns the content.
func Gunzip(src string) ([]byte, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return ioutil.ReadAll(zr)
}

// GunzipTo decompresses src into dst.
func GunzipTo(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close() // ok: closed and checked on the success path
	if _, err := io.Copy(out, zr); err != nil {
		return err
	}
	return out.Close()
}

// ExtractTar unpacks a plain tar stream into dir, one file per entry.
func ExtractTar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		name := filepath.Join(dir, filepath.Clean("/"+hdr.Name))
		if !strings.HasPrefix(name, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("tar entry %q escapes %s", hdr.Name, dir)
		}
		if err := writeEntry(name, tr, os.FileMode(hdr.Mode)); err != nil {
			return err
		}
	}
}

func writeEntry(name string, r io.Reader, mode os.FileMode) (err error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode.Perm())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}
