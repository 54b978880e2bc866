package journal

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Archive packs the segments of dir into a gzip-compressed file at dst.
func Archive(dir, dst string) (err error) {
	paths, err := Segments(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, p := range paths {
		if err := appendFile(zw, p); err != nil {
			return err
		}
	}
	return nil
}

func appendFile(w io.Writer, path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close() // ok: read-only
	_, err = io.Copy(w, src)
	return err
}

// ArchiveTar writes the segments of dir as a tar.gz at dst.
func ArchiveTar(dir, dst string) (err error) {
	paths, err := Segments(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs before the file is closed
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // ok: runs before zw is closed
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: filepath.Base(p), Mode: 0o644, Size: st.Size(), ModTime: st.ModTime()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if err := appendFile(tw, p); err != nil {
			return err
		}
	}
	return nil
}
