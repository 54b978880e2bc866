package fsstore

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"time"
)

// Row is one record of a snapshot.
type Row struct {
	Key     string    `json:"key"`
	Size    int64     `json:"size"`
	Updated time.Time `json:"updated"`
}

// WriteSnapshot writes rows as JSON lines into a new file under the root.
func (s *Store) WriteSnapshot(name string, rows iter.Seq[Row]) (err error) {
	f, err := s.root.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(bw)
	for r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteSnapshotOrdered registers the file close first, so the buffer is
// flushed into a still-open file.
func (s *Store) WriteSnapshotOrdered(name string, rows iter.Seq[Row]) (err error) {
	f, err := s.root.Create(name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	for r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// ExportTarGz writes every blob into a gzip-compressed tar at dst.
func (s *Store) ExportTarGz(dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	for name := range s.Names() {
		data, err := s.Get(name)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// ExportGzip writes one blob gzip-compressed to dst: the gzip writer is
// closed explicitly and checked before the file's deferred close.
func (s *Store) ExportGzip(name, dst string) (err error) {
	data, err := s.Get(name)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	zw.Name = name
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// ImportTarGz reads blobs from a gzip-compressed tar; everything here is
// read-only, so the deferred closes lose nothing.
func (s *Store) ImportTarGz(src string) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	n := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return n, err
		}
		if err := s.Put(hdr.Name, data); err != nil {
			return n, err
		}
		n++
	}
}

// ExportCSV writes one line per blob to dst.
func (s *Store) ExportCSV(dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write([]string{"name", "size"}); err != nil {
		return err
	}
	for name := range s.Names() {
		size, err := s.Size(name)
		if err != nil {
			return err
		}
		if err := w.Write([]string{name, strconv.FormatInt(size, 10)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// ExportCSVChecked is ExportCSV with the file close checked on success.
func (s *Store) ExportCSVChecked(dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"name", "size"}); err != nil {
		return err
	}
	for name := range s.Names() {
		size, err := s.Size(name)
		if err != nil {
			return err
		}
		if err := w.Write([]string{name, strconv.FormatInt(size, 10)}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

// CountCSV counts data rows in a CSV file opened read-only.
func CountCSV(src string) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	return max(len(recs)-1, 0), nil
}
