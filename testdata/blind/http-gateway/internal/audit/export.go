package audit

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"sort"
	"strconv"
	"time"
)

var csvHeader = []string{"time", "principal", "method", "path", "status", "duration_ms"}

// ExportCSV writes recs as CSV for the compliance team.
func ExportCSV(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range recs {
		row := []string{
			r.Time.UTC().Format(time.RFC3339), r.Principal, r.Method, r.Path,
			strconv.Itoa(r.Status), strconv.FormatInt(r.Duration.Milliseconds(), 10),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked is ExportCSV with every buffered error surfaced.
func ExportCSVChecked(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write([]string{r.Time.UTC().Format(time.RFC3339), r.Principal, r.Method, r.Path,
			strconv.Itoa(r.Status), strconv.FormatInt(r.Duration.Milliseconds(), 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ExportZip writes a support bundle of files as a zip archive.
func ExportZip(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range sortedNames(files) {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(files[name]); err != nil {
			return err
		}
	}
	return nil
}

// ExportTarGz writes a support bundle of files as a .tar.gz archive.
func ExportTarGz(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	defer tw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer gz.Close() // HAZ defer-close-unchecked-write
	now := time.Now()
	for _, name := range sortedNames(files) {
		data := files[name]
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// ExportJSONL writes recs as gzip-compressed JSON lines. Closes run in the
// right order (gzip, then file) and both errors reach the caller.
func ExportJSONL(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, gz.Close()) }()
	enc := json.NewEncoder(gz)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
