package history

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// addFile appends the file at path to tw under its base name.
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

// Backup writes dir's sealed segments to dst as a .tar.gz.
func Backup(dir, dst string) (err error) {
	names, err := ListSegments(dir)
	if err != nil {
		return err
	}
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
		if err := addFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("history: backup %s: %w", name, err)
		}
	}
	return nil
}

// BackupTo streams an uncompressed tarball of dir's sealed segments to w;
// the admin endpoint pipes it straight into the HTTP response.
func BackupTo(w io.Writer, dir string) error {
	names, err := ListSegments(dir)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, name := range names {
		if err := addFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("history: backup %s: %w", name, err)
		}
	}
	return nil
}

// RestoreSegment copies the events of an archived segment back into dir.
func RestoreSegment(dir, archived string) error {
	evs, err := ReadArchived(archived)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		return fmt.Errorf("history: %s holds no events", archived)
	}
	seg, err := CreateSegment(dir, evs[0].Seq)
	defer seg.Abort() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := seg.Append(ev); err != nil {
			return err
		}
	}
	return seg.Commit()
}

// ExportJSONGz writes events as gzipped JSON lines; the file appears under
// path only when complete.
func ExportJSONGz(path string, events []Event) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation

	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	cleanup = func() {
		f.Close()
		os.Remove(tmp)
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cleanup = func() {}
	return os.Rename(tmp, path)
}
