package fsys

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// StreamTarGz writes dir as a gzip-compressed tar stream to w (used by the
// admin export of a user's home). Close order matters: the tar writer
// flushes its trailer into the gzip writer, which must close after it.
func StreamTarGz(w io.Writer, dir string) (err error) {
	zw := gzip.NewWriter(w)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	return addTree(tw, dir)
}

// ArchiveDir writes dir as an uncompressed tar file at dst (snapshot of a
// home before account deletion).
func ArchiveDir(dst, dir string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	if err := addTree(tw, dir); err != nil {
		return err
	}
	return f.Sync()
}

// addTree adds every regular file and directory below dir to tw, with
// names relative to dir.
func addTree(tw *tar.Writer, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() && !fi.IsDir() {
			return nil // sockets, devices, symlinks: not exported
		}
		hdr, err := tar.FileInfoHeader(fi, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if fi.IsDir() {
			return nil
		}
		return copyInto(tw, p)
	})
}

// copyInto appends the content of the file at p to w.
func copyInto(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// CopyFile copies src to dst (SITE CPFR/CPTO).
func CopyFile(dst, src string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	return io.Copy(out, in)
}
