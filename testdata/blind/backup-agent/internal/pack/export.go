package pack

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// FileSource describes one file of a tar export; Open streams its contents.
type FileSource struct {
	Name    string
	Mode    fs.FileMode
	ModTime time.Time
	Size    int64
	Open    func() (io.ReadCloser, error)
}

// ExportTar writes files to w as a gzip-compressed tar stream.
func ExportTar(w io.Writer, files []FileSource) (err error) {
	zw := gzip.NewWriter(w)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	for _, src := range files {
		if err := addFile(tw, src); err != nil {
			return err
		}
	}
	return nil
}

func addFile(tw *tar.Writer, src FileSource) error {
	rc, err := src.Open()
	if err != nil {
		return fmt.Errorf("export %s: %w", src.Name, err)
	}
	defer rc.Close()

	hdr := &tar.Header{
		Name:    src.Name,
		Mode:    int64(src.Mode.Perm()),
		Size:    src.Size,
		ModTime: src.ModTime,
		Format:  tar.FormatPAX,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.Copy(tw, rc)
	if err != nil {
		return fmt.Errorf("export %s: %w", src.Name, err)
	}
	if n != src.Size {
		return fmt.Errorf("export %s: wrote %d bytes, snapshot says %d", src.Name, n, src.Size)
	}
	return nil
}

// ExportTarFile writes the export into a .tar.gz file on disk.
func ExportTarFile(path string, files []FileSource) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(zw)

	for _, src := range files {
		if err := addFile(tw, src); err != nil {
			return err
		}
	}
	return tw.Close()
}
