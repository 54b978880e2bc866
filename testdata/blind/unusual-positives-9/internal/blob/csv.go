package blob

import (
	"archive/tar"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// ExportCSV writes the index as a "name,size" CSV file at path.
func (s *Store) ExportCSV(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"name", "size"}); err != nil {
		return err
	}
	for name, size := range s.All() {
		if err := cw.Write([]string{name, strconv.FormatInt(size, 10)}); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVTo writes the index as CSV to w and reports any buffered write error.
func (s *Store) ExportCSVTo(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "size"}); err != nil {
		return err
	}
	for name, size := range s.All() {
		if err := cw.Write([]string{name, strconv.FormatInt(size, 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Import stores every regular file of the tar stream r and journals the import.
func (s *Store) Import(r io.Reader) (int, error) {
	n := 0
	defer func() error { // HAZ defer-ineffective-return
		if n == 0 {
			return nil
		}
		return s.Record([]string{fmt.Sprintf("import %d blobs", n)})
	}()
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if err := s.Put(hdr.Name, tr); err != nil {
			return n, err
		}
		n++
	}
}

// ImportFile is Import for a tar file on disk; the journal entry's error is returned
// through the named result.
func (s *Store) ImportFile(path string) (n int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	defer func() {
		if err == nil && n > 0 {
			err = s.Record([]string{fmt.Sprintf("import %s: %d blobs", path, n)})
		}
	}()
	tr := tar.NewReader(f)
	for {
		hdr, terr := tr.Next()
		if errors.Is(terr, io.EOF) {
			return n, nil
		}
		if terr != nil {
			return n, terr
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if err := s.Put(hdr.Name, tr); err != nil {
			return n, err
		}
		n++
	}
}
