package store

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"time"
)

// Export writes a gzip-compressed tar of every blob to dst.
func (s *Store) Export(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(zw)
	for _, m := range s.snapshot() {
		if err := s.addToTar(tw, m); err != nil {
			return fmt.Errorf("store: export %s: %w", m.Key, err)
		}
	}
	return tw.Close()
}

func (s *Store) addToTar(tw *tar.Writer, m Meta) error {
	p, err := s.path(m.Key)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := &tar.Header{Name: m.Key, Mode: 0o644, Size: m.Size, ModTime: m.Modified}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Backup writes the index as JSON lines to dst.
func (s *Store) Backup(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	for _, m := range s.snapshot() {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest writes a CSV manifest of the store to dst.
func (s *Store) WriteManifest(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"key", "size", "sha256", "modified"}); err != nil {
		return err
	}
	for _, m := range s.snapshot() {
		rec := []string{m.Key, strconv.FormatInt(m.Size, 10), m.SHA256, m.Modified.Format(time.RFC3339)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// ImportZip stores every file of the zip archive at src under its base name.
func (s *Store) ImportZip(src string) (n int, err error) {
	zr, err := zip.OpenReader(src)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("store: import %s: %w", src, err)
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		if err := s.importZipFile(zf, path.Base(zf.Name)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Store) importZipFile(zf *zip.File, key string) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = s.Put(key, rc)
	return err
}
