package storage

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"

	"example.com/fah19/internal/stop"
)

// ExportGzip writes every live entry, gzip-compressed, to path.
func (e *Engine) ExportGzip(ctx context.Context, path string) error {
	entries, err := e.snapshotEntries(ctx)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()

	for _, ent := range entries {
		if err := writeEntry(zw, ent); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Backup writes a tar.gz of every live table file to path. The tar and gzip
// writers are closed explicitly on the success path; the file's close error
// is joined into the result.
func (e *Engine) Backup(path string) (err error) {
	tables := e.Tables()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, t := range tables {
		if err := addFile(tw, filepath.Join(e.dir, t.Name)); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Sync()
}

func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
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

// ExportCSV writes every live entry as key,base64(value) lines.
func (e *Engine) ExportCSV(ctx context.Context, path string) (err error) {
	entries, err := e.snapshotEntries(ctx)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer stop.JoinClose(&err, f)

	w := csv.NewWriter(f)
	for _, ent := range entries {
		if err := w.Write([]string{string(ent.Key), base64.StdEncoding.EncodeToString(ent.Value)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
