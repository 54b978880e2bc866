package artifact

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Timing is one row of the build report.
type Timing struct {
	Task     string
	Duration time.Duration
	Cached   bool
}

func (t Timing) record() []string {
	return []string{t.Task, strconv.FormatInt(t.Duration.Milliseconds(), 10), strconv.FormatBool(t.Cached)}
}

// WriteReport writes the per-task timings as CSV.
func WriteReport(path string, rows []Timing) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"task", "ms", "cached"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.record()); err != nil {
			return err
		}
	}
	return nil
}

// WriteReportTo writes the timings as CSV to w and reports any write error.
func WriteReportTo(w io.Writer, rows []Timing) error {
	cw := csv.NewWriter(w)
	defer cw.Flush()
	for _, r := range rows {
		if err := cw.Write(r.record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Bundle zips the given files, by base name, into dst.
func Bundle(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range files {
		w, err := zw.Create(filepath.Base(name))
		if err != nil {
			return err
		}
		if err := copyFile(w, name); err != nil {
			return err
		}
	}
	return nil
}

// BundleChecked is Bundle with the central directory write checked.
func BundleChecked(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, name := range files {
		w, err := zw.Create(filepath.Base(name))
		if err != nil {
			return err
		}
		if err := copyFile(w, name); err != nil {
			return err
		}
	}
	return nil
}
