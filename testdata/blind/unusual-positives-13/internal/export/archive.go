package export

import (
	"archive/tar"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"example.com/up13/internal/catalog"
)

// TableFormat selects how WriteTable renders the asset table.
type TableFormat interface{}

// CSVTable renders comma-separated values.
type CSVTable struct{ Comma rune }

// TextTable renders aligned plain text.
type TextTable struct{ Width int }

// WriteTarball writes one tar entry per asset listing into a .tar.gz.
func WriteTarball(path string, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	for _, a := range assets {
		body := []byte(fmt.Sprintf("id=%s\npath=%s\nsize=%d\n", a.ID, a.Path, a.Size))
		hdr := &tar.Header{Name: a.ID + ".txt", Mode: 0o644, Size: int64(len(body)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// WriteTarballOrdered is WriteTarball with the closes registered in
// creation order, so LIFO closes tar, then gzip, then the file.
func WriteTarballOrdered(path string, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, a := range assets {
		body := []byte(fmt.Sprintf("id=%s\npath=%s\nsize=%d\n", a.ID, a.Path, a.Size))
		hdr := &tar.Header{Name: a.ID + ".txt", Mode: 0o644, Size: int64(len(body)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes the asset table in the requested format.
func WriteTable(path string, format TableFormat, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	switch t := format.(type) {
	case CSVTable:
		cw := csv.NewWriter(f)
		cw.Comma = t.Comma
		defer cw.Flush() // HAZ defer-close-unchecked-write
		for _, a := range assets {
			if err := cw.Write([]string{a.ID, a.Path, strconv.FormatInt(a.Size, 10)}); err != nil {
				return err
			}
		}
		return nil
	case TextTable:
		return writeText(f, t.Width, assets)
	default:
		return fmt.Errorf("export: unknown table format %T", format)
	}
}

// WriteTableChecked is WriteTable with the CSV flush checked on the
// success path.
func WriteTableChecked(path string, format TableFormat, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	switch t := format.(type) {
	case CSVTable:
		cw := csv.NewWriter(f)
		cw.Comma = t.Comma
		for _, a := range assets {
			if err := cw.Write([]string{a.ID, a.Path, strconv.FormatInt(a.Size, 10)}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case TextTable:
		return writeText(f, t.Width, assets)
	default:
		return fmt.Errorf("export: unknown table format %T", format)
	}
}

// writeText writes an aligned text table.
func writeText(w io.Writer, width int, assets []catalog.Asset) error {
	for _, a := range assets {
		if _, err := fmt.Fprintf(w, "%-*s %12d %s\n", width, a.ID, a.Size, a.Path); err != nil {
			return err
		}
	}
	return nil
}

// Rotate re-exports the given tags into the export directory on every
// tick, for the life of the process.
func (e *Exporter) Rotate(tick <-chan time.Time, tags []string) {
	for range tick {
		lease, err := AcquireLease(e.dir)
		if err != nil {
			e.log.Printf("rotate: %v", err)
			continue
		}
		defer lease.Release() // HAZ defer-in-infinite-loop
	export:
		for _, t := range tags {
			if err := e.ExportTagged(t); err != nil {
				e.log.Printf("rotate %s: %v", t, err)
				break export
			}
		}
	}
}

// RotateUntil is Rotate with an end and one lease per round, released by
// rotateOnce before the next tick.
func (e *Exporter) RotateUntil(done <-chan struct{}, tick <-chan time.Time, tags []string) {
	for {
		select {
		case <-done:
			return
		case <-tick:
			if err := e.rotateOnce(tags); err != nil {
				e.log.Printf("rotate: %v", err)
			}
		}
	}
}

// rotateOnce exports every tag under one lease.
func (e *Exporter) rotateOnce(tags []string) (err error) {
	lease, err := AcquireLease(e.dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lease.Release()) }()
	for _, t := range tags {
		if err := e.ExportTagged(t); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return nil
}
