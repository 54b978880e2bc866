// Package support writes support bundles: the configuration, self-metrics,
// checkpoint and recent errors of a collector in one archive.
package support

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"example.com/otelcol/internal/pdata"
)

// File is one entry of a bundle.
type File struct {
	Name string
	Data []byte
}

// Collect reads the named files (missing ones are skipped) into entries
// under prefix.
func Collect(prefix string, paths ...string) ([]File, error) {
	var files []File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: filepath.Join(prefix, filepath.Base(p)), Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// WriteTarGz writes files as a .tar.gz at path.
func WriteTarGz(path string, files []File) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	// close the tar stream, then the gzip stream
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, gz.Close()) }()
	return addAll(tw, files)
}

func addAll(tw *tar.Writer, files []File) error {
	now := time.Now()
	for _, file := range files {
		hdr := &tar.Header{Name: file.Name, Mode: 0o644, Size: int64(len(file.Data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(file.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteTarGzOrdered writes the same archive with the closes in the order
// the layers need: tar, then gzip, then the file, each error returned.
func WriteTarGzOrdered(path string, files []File) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, gz.Close()) }()
	tw := tar.NewWriter(gz)
	defer func() { err = errors.Join(err, tw.Close()) }()
	return addAll(tw, files)
}

// WriteZip writes files as a zip archive to w (a file or an HTTP response).
func WriteZip(w io.Writer, files []File) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, file := range files {
		fw, err := zw.Create(file.Name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(file.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteZipChecked is WriteZip with the central directory's write checked.
func WriteZipChecked(w io.Writer, files []File) error {
	zw := zip.NewWriter(w)
	defer zw.Close()
	for _, file := range files {
		fw, err := zw.Create(file.Name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(file.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ExportCSV writes the records of b as CSV, for spreadsheets.
func ExportCSV(path string, b pdata.Batch) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"time", "kind", "name", "value"}); err != nil {
		return err
	}
	for _, r := range b.Records {
		row := []string{r.Time.Format(time.RFC3339Nano), string(r.Kind), r.Name, strconv.FormatFloat(r.Value, 'g', -1, 64)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteLines writes one line per string through a buffer.
func WriteLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, l := range lines {
		if _, err := fmt.Fprintln(bw, l); err != nil {
			return err
		}
	}
	return nil
}

// ReadLines is WriteLines' counterpart, used by the bundle checker.
func ReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}
