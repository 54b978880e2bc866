package export

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"
)

func writeRecords(w io.Writer, recs []Record) error {
	if _, err := io.WriteString(w, "series,ts,value\n"); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := io.WriteString(w, csvLine(r)); err != nil {
			return err
		}
	}
	return nil
}

// Archive writes recs as gzip-compressed CSV.
func (e *Exporter) Archive(name string, recs []Record) (err error) {
	w, err := e.create(name + ".csv.gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(w)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, w.Close()) }()
	zw.Name = name + ".csv"
	zw.ModTime = time.Now()
	return writeRecords(zw, recs)
}

// ArchiveLevel is Archive with an explicit compression level.
func (e *Exporter) ArchiveLevel(name string, recs []Record, level int) (err error) {
	w, err := e.create(name + ".csv.gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	zw, err := gzip.NewWriterLevel(w, level)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, zw.Close()) }()
	return writeRecords(zw, recs)
}

// Compress gzips an existing export file next to the original.
func (e *Exporter) Compress(name string) (err error) {
	span := e.metrics.ObserveSpan
	start := time.Now()
	defer span("export.compress", start, time.Now()) // HAZ defer-eager-evaluation
	src, err := os.Open(filepath.Join(e.dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := e.create(name + ".gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	zw := gzip.NewWriter(w)
	if _, err := io.Copy(zw, src); err != nil {
		return err
	}
	return zw.Close()
}

// Decompress restores name from name.gz.
func (e *Exporter) Decompress(name string) (err error) {
	observe := e.metrics.Observe
	start := time.Now()
	defer func() { observe("export.decompress", time.Since(start)) }()
	src, err := os.Open(filepath.Join(e.dir, name+".gz"))
	if err != nil {
		return err
	}
	defer src.Close()
	zr, err := gzip.NewReader(src)
	if err != nil {
		return err
	}
	defer zr.Close()
	w, err := e.create(name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, zr); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
