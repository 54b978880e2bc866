package dump

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const manifestName = "MANIFEST"

// WriteManifest records the row count of every dumped table next to the
// dumps, so that a restore can be verified.
func (d *Dumper) WriteManifest() (err error) {
	f, err := os.Create(filepath.Join(d.dir, manifestName))
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	counts := d.Counts()
	tables := make([]string, 0, len(counts))
	for t := range counts {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		if _, err := fmt.Fprintf(bw, "%s\t%d\n", t, counts[t]); err != nil {
			return err
		}
	}
	return nil
}

// ReadManifest reads the row counts written by WriteManifest.
func ReadManifest(dir string) (map[string]int64, error) {
	f, err := os.Open(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make(map[string]int64)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		table, count, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: malformed line", manifestName, line)
		}
		n, err := strconv.ParseInt(count, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", manifestName, line, err)
		}
		out[table] = n
	}
	return out, sc.Err()
}

// Archive bundles the dumps of tables and the manifest into one .tar.gz.
// The archive is written to a temporary file and renamed into place.
func (d *Dumper) Archive(dst string, tables []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".archive-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	zw := gzip.NewWriter(tmp)
	tw := tar.NewWriter(zw)
	files := []string{filepath.Join(d.dir, manifestName)}
	for _, t := range tables {
		files = append(files, d.path(t))
	}
	for _, path := range files {
		if err := addFile(tw, path); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tw.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
