// Package convert turns CSV exports into JSON lines and back.
package convert

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"unicode"

	"example.com/filepipeline/internal/fsutil"
	"example.com/filepipeline/internal/walk"
)

// Record is one CSV row keyed by the (normalized) header.
type Record map[string]string

// ErrShortRow is returned for a row with fewer fields than the header.
var ErrShortRow = errors.New("convert: row shorter than header")

// NormalizeHeader lower-cases the column names and replaces everything that
// is not a letter or a digit by an underscore.
func NormalizeHeader(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return '_'
		}, strings.TrimSpace(c))
	}
	return out
}

// ReadCSV yields the rows of the CSV file at path. The file stays open only
// while the caller's loop runs.
func ReadCSV(path string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		cr := csv.NewReader(bufio.NewReader(f))
		cr.FieldsPerRecord = -1
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// Records turns a row sequence whose first row is the header into records.
func Records(rows iter.Seq2[[]string, error]) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		var header []string
		for row, err := range rows {
			if err != nil {
				yield(nil, err)
				return
			}
			if header == nil {
				header = NormalizeHeader(row)
				continue
			}
			if len(row) < len(header) {
				if !yield(nil, fmt.Errorf("%w: %d < %d", ErrShortRow, len(row), len(header))) {
					return
				}
				continue
			}
			rec := make(Record, len(header))
			for i, col := range header {
				rec[col] = row[i]
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// csvToJSONL converts one CSV stream to JSON lines.
func csvToJSONL(w io.Writer, r io.Reader) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("read header: %w", err)
	}
	cols := NormalizeHeader(header)
	n := 0
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		rec := make(Record, len(cols))
		for i, c := range cols {
			if i < len(row) {
				rec[c] = row[i]
			}
		}
		if err := enc.Encode(rec); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// CSVToJSONL converts the CSV file src into the JSON-lines file dst,
// replacing dst atomically.
func CSVToJSONL(src, dst string) (n int, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	err = fsutil.WriteWith(dst, 0o644, func(w io.Writer) error {
		var cerr error
		n, cerr = csvToJSONL(w, in)
		return cerr
	})
	return n, err
}

// ConvertDir converts every *.csv file under dir to a .jsonl file next to it
// and returns how many files it converted.
func ConvertDir(dir string) (n int, err error) {
	for path := range walk.Paths(walk.Matching(walk.Files(dir), "*.csv")) {
		in, err := os.Open(path)
		if err != nil {
			return n, err
		}
		defer in.Close() // HAZ defer-in-loop
		dst := strings.TrimSuffix(path, ".csv") + ".jsonl"
		err = fsutil.WriteWith(dst, 0o644, func(w io.Writer) error {
			_, err := csvToJSONL(w, in)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("convert %s: %w", path, err)
		}
		n++
	}
	return n, nil
}

// ConvertAll is ConvertDir for an explicit list of files; every input is
// closed before the next one is opened.
func ConvertAll(paths []string) (converted []string, err error) {
	for _, path := range paths {
		dst := strings.TrimSuffix(path, ".csv") + ".jsonl"
		if _, err := CSVToJSONL(path, dst); err != nil {
			return converted, fmt.Errorf("convert %s: %w", path, err)
		}
		converted = append(converted, dst)
	}
	return converted, nil
}

// WriteCSV writes a header and the rows to w.
func WriteCSV(w io.Writer, header []string, rows iter.Seq[[]string]) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(header); err != nil {
		return err
	}
	for row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes a header and the rows to w and reports any write error,
// including the ones that only show up when the buffer is flushed.
func WriteTable(w io.Writer, header []string, rows iter.Seq[[]string]) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportCSV writes the records to path as CSV through a 64 KiB buffer, with
// the columns in the given order.
func ExportCSV(path string, cols []string, recs iter.Seq[Record]) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	defer func() { // HAZ defer-order-inverted
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	cw := csv.NewWriter(bw)
	if err := cw.Write(cols); err != nil {
		return err
	}
	row := make([]string, len(cols))
	for rec := range recs {
		for i, c := range cols {
			row[i] = rec[c]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
