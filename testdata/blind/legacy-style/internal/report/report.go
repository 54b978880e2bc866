// Package report writes the periodic key reports in CSV, tar and zip form.
package report

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"
)

// Row is one line of a report.
type Row struct {
	Key     string
	Size    int
	Updated time.Time
}

// byKey sorts rows by key.
type byKey []Row

func (r byKey) Len() int           { return len(r) }
func (r byKey) Less(i, j int) bool { return r[i].Key < r[j].Key }
func (r byKey) Swap(i, j int)      { r[i], r[j] = r[j], r[i] }

// SortRows sorts rows in place by key.
func SortRows(rows []Row) { sort.Sort(byKey(rows)) }

// record renders a row as CSV fields.
func record(r Row) []string {
	return []string{r.Key, strconv.Itoa(r.Size), r.Updated.UTC().Format(time.RFC3339)}
}

// WriteCSVTo writes rows to w and returns any buffered write error.
func WriteCSVTo(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "size", "updated"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(record(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes rows to path, reporting a failed close.
func WriteCSV(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return WriteCSVTo(f, rows)
}

// WriteLines writes one "key size" line per row to path through a buffer.
func WriteLines(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "%s %d\n", r.Key, r.Size); err != nil {
			return err
		}
	}
	return f.Sync()
}

// WriteLinesBuffered is WriteLines with the buffer flushed before the file is
// closed and both errors checked.
func WriteLinesBuffered(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, r := range rows {
		if _, err = fmt.Fprintf(bw, "%s %d\n", r.Key, r.Size); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ArchiveDir writes dir as a .tar.gz to dst, closing tar, gzip and file in
// that order and checking each.
func ArchiveDir(dst, dir string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err = addFile(tw, name, filepath.Base(name)); err != nil {
			return err
		}
	}
	if err = tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// addFile appends one regular file to tw.
func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// ZipFiles stores files in a zip archive at dst.
func ZipFiles(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range files {
		if err := zipOne(zw, name); err != nil {
			return err
		}
	}
	return nil
}

// ZipFilesChecked is ZipFiles with the zip writer closed explicitly and its
// error returned; the deferred close only covers early returns.
func ZipFilesChecked(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	defer zw.Close()
	for _, name := range files {
		if err := zipOne(zw, name); err != nil {
			return err
		}
	}
	return zw.Close()
}

// zipOne copies one file into the archive.
func zipOne(zw *zip.Writer, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// WriteSummary prints an aligned table of rows.
func WriteSummary(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tSIZE\tUPDATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Key, r.Size, r.Updated.Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// TotalSize adds up the sizes.
func TotalSize(rows []Row) int {
	n := 0
	for _, r := range rows {
		n += r.Size
	}
	return n
}
