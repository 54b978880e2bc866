package subscribers

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

var csvHeader = []string{"email", "name", "status", "token"}

// ImportCSV reads "email,name" rows (header optional) into listID.
// Invalid addresses are collected and returned, not fatal.
func ImportCSV(r io.Reader, st *Store, listID string) (added int, rejected []string, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return added, rejected, nil
		}
		if err != nil {
			return added, rejected, fmt.Errorf("line %d: %w", line, err)
		}
		if line == 1 && strings.EqualFold(rec[0], "email") {
			continue
		}
		name := ""
		if len(rec) > 1 {
			name = rec[1]
		}
		if _, err := st.Add(listID, rec[0], name); err != nil {
			rejected = append(rejected, rec[0])
			continue
		}
		added++
	}
}

// ImportFile imports one CSV file.
func ImportFile(path string, st *Store, listID string) (int, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	return ImportCSV(f, st, listID)
}

// ImportDir imports every *.csv file found in dir into listID.
func ImportDir(dir string, st *Store, listID string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".csv" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, rejected, err := ImportCSV(f, st, listID)
		if err != nil {
			return total, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if len(rejected) > 0 {
			fmt.Fprintf(os.Stderr, "%s: %d rejected addresses\n", e.Name(), len(rejected))
		}
		total += n
	}
	return total, nil
}

// ImportEach imports each file in paths, closing every file before moving
// on to the next one.
func ImportEach(paths []string, st *Store, listID string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			n, _, err := ImportCSV(f, st, listID)
			return n, err
		}()
		if err != nil {
			return total, fmt.Errorf("%s: %w", p, err)
		}
		total += n
	}
	return total, nil
}

// writeCSV encodes subs with a header row.
func writeCSV(w io.Writer, subs []Subscriber) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range subs {
		if err := cw.Write([]string{s.Email, s.Name, s.Status.String(), s.Token}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportCSV writes subs to path; the close error is joined into the result.
func ExportCSV(path string, subs []Subscriber) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return writeCSV(f, subs)
}

// ExportCSVGzip writes a gzip-compressed CSV export. The gzip writer is
// closed (footer flushed) before the file, and both errors are reported.
func ExportCSVGzip(path string, subs []Subscriber) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	zw.Name = filepath.Base(strings.TrimSuffix(path, ".gz"))
	return writeCSV(zw, subs)
}
