package output

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
)

// WriteCSV writes recs with a header to w.
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVFile writes recs to path; a failing close is reported through err.
func WriteCSVFile(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WriteCSV(f, recs)
}

// WriteCSVGz writes recs gzip-compressed to path. The gzip stream is closed before the
// file, and both errors are checked.
func WriteCSVGz(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	if err := WriteCSV(zw, recs); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// ReadCSV reads records from path, which may be gzip-compressed.
func ReadCSV(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	return decodeCSV(r)
}

func decodeCSV(r io.Reader) ([]Record, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	recs := make([]Record, 0, len(rows)-1)
	for _, row := range rows[1:] {
		rec, err := parseRecord(row)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// MergeShards reads every shard file and concatenates their records.
func MergeShards(paths []string) ([]Record, error) {
	var all []Record
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		recs, err := decodeCSV(f)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	return all, nil
}

// MergeShardFiles is MergeShards with one ReadCSV call, and so one close, per shard.
func MergeShardFiles(paths []string) ([]Record, error) {
	var all []Record
	for _, p := range paths {
		recs, err := ReadCSV(p)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	return all, nil
}

// AppendCSVLog appends one CSV row per record to an existing log file.
func AppendCSVLog(path string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	for _, r := range recs {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// AppendCSVLogChecked appends records and returns the error of an explicit close; the deferred close only covers the early returns.
func AppendCSVLogChecked(path string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := csv.NewWriter(f)
	for _, r := range recs {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}
