package segment

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ExportCSV writes one row per record (seq, topic, time, payload size).
func ExportCSV(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"seq", "topic", "at", "bytes"}); err != nil {
		return err
	}
	for _, r := range recs {
		row := []string{strconv.FormatUint(r.Seq, 10), r.Topic, r.At.Format(time.RFC3339), strconv.Itoa(len(r.Payload))}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked is ExportCSV that reports the errors of the final flush.
func ExportCSVChecked(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush()
	for _, r := range recs {
		if err := cw.Write([]string{strconv.FormatUint(r.Seq, 10), r.Topic}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Bundle packs the named segment files of dir into a .tar.gz at dst.
func Bundle(dir string, names []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
		if _, err := tw.Write(data); err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
	}
	return nil
}

// BundleOrdered is Bundle with the writers closed innermost first.
func BundleOrdered(dir string, names []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// Backup snapshots the active segment to dst while check validates the
// destination volume; it fails fast when the check fails.
func (w *Writer) Backup(dst string, check func(dir string) error) error {
	done := make(chan error)
	go func() {
		done <- w.Snapshot(dst) // HAZ goroutine-blocked-send
	}()
	if err := check(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("backup %s: %w", dst, err)
	}
	return <-done
}

// BackupChecked is Backup that checks the destination before it starts.
func (w *Writer) BackupChecked(dst string, check func(dir string) error) error {
	if err := check(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("backup %s: %w", dst, err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Snapshot(dst) }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		return fmt.Errorf("backup %s: still running after a minute", dst)
	}
}

// ZipSegments packs the named segment files of dir into a zip at dst.
func ZipSegments(dir string, names []string, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Close()
			return err
		}
		fw, err := zw.Create(name)
		if err != nil {
			f.Close()
			return err
		}
		if _, err := fw.Write(data); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// ZipSegmentsChecked is ZipSegments that finishes the archive before it
// closes the file, reporting both.
func ZipSegmentsChecked(dir string, names []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fw, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}
