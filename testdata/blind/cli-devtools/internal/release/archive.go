package release

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

func addToTar(tw *tar.Writer, fe FileEntry) error {
	f, err := os.Open(fe.Src)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: fe.Dst, Mode: int64(fe.Mode), Size: fi.Size(), ModTime: fi.ModTime(), Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// WriteTarGz writes a gzipped tarball, closing the layers innermost first
// and checking every close.
func (b *Builder) WriteTarGz(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, fe := range b.Sorted() {
		if err := addToTar(tw, fe); err != nil {
			return fmt.Errorf("release: %s: %w", fe.Src, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// WriteTar writes an uncompressed tarball.
func (b *Builder) WriteTar(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, fe := range b.Sorted() {
		if err := addToTar(tw, fe); err != nil {
			return err
		}
	}
	return nil
}

// WriteZip writes a zip archive; the zip writer's Close is checked before
// the file is closed.
func (b *Builder) WriteZip(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, fe := range b.Sorted() {
		if err := addToZip(zw, fe); err != nil {
			return err
		}
	}
	return zw.Close()
}

func addToZip(zw *zip.Writer, fe FileEntry) error {
	src, err := os.Open(fe.Src)
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
	hdr.Name = fe.Dst
	hdr.Method = zip.Deflate
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// GzipFile compresses src into dst (used for man pages and changelogs).
func GzipFile(dst, src string) error {
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
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(zw, in)
	return err
}

// GzipFileChecked compresses src into dst with the writer closed before
// the file and both errors returned.
func GzipFileChecked(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// WriteFileList writes the list of archived paths, one per line.
func (b *Builder) WriteFileList(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	for _, fe := range b.Sorted() {
		if _, err := fmt.Fprintf(bw, "%s\t%o\n", fe.Dst, fe.Mode); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileListChecked flushes and closes in the right order, checked.
func (b *Builder) WriteFileListChecked(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, fe := range b.Sorted() {
		fmt.Fprintf(bw, "%s\t%o\n", fe.Dst, fe.Mode)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ListTarGz lists the entries of a tar.gz archive (read-only).
func ListTarGz(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var names []string
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

// ListZip lists the entries of a zip archive.
func ListZip(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// ArchiveSize returns the uncompressed size of a tar.gz archive.
func ArchiveSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("release: %s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	var total int64
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return 0, err
		}
		total += hdr.Size
	}
}
