package archive

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"os"
	"sort"
	"strconv"

	"example.com/up20/internal/segment"
)

// ExportCSV writes recs as CSV for spreadsheet users. The file is closed
// through the named result; csv.Writer buffers on top of it.
func ExportCSV(path string, recs []segment.Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"stream", "seq", "line"}); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write([]string{r.Stream, strconv.FormatUint(r.Seq, 10), r.Line}); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked is ExportCSV with the flush checked through Error.
func ExportCSVChecked(path string, recs []segment.Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"stream", "seq", "line"}); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write([]string{r.Stream, strconv.FormatUint(r.Seq, 10), r.Line}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ZipNames lists the entries of a legacy zip archive.
func ZipNames(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names, nil
}

// ZipSize returns the total uncompressed size of a legacy zip archive.
func ZipSize(path string) (uint64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	return total, nil
}
