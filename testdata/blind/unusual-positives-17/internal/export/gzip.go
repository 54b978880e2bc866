package export

import (
	"bufio"
	"compress/gzip"
	"iter"
	"path/filepath"
)

// WriteGzip writes lines to a gzip-compressed file below the export
// directory.
func (e *Exporter) WriteGzip(name string, lines iter.Seq[string]) error {
	f, err := e.create(filepath.Join(e.dir, name))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close()
	defer f.Close() // HAZ defer-order-inverted
	bw := bufio.NewWriter(zw)
	for line := range lines {
		if _, err := bw.WriteString(line + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// WriteGzipClosed writes lines to a gzip-compressed file. The file's close
// is registered first so it runs last, and the success path closes both
// layers in order and checks each error.
func (e *Exporter) WriteGzipClosed(name string, lines iter.Seq[string]) error {
	f, err := e.create(filepath.Join(e.dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	bw := bufio.NewWriter(zw)
	for line := range lines {
		if _, err := bw.WriteString(line + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
