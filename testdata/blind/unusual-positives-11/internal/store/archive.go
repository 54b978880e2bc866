package store

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Codec selects how Archive compresses its output.
type Codec interface{ codec() }

// NoCompression writes the payload as is.
type NoCompression struct{}

// GzipLevel compresses with gzip at the given level.
type GzipLevel int

func (NoCompression) codec() {}
func (GzipLevel) codec()     {}

// Archive copies payload into path, compressed as codec says.
func Archive(path string, codec Codec, payload io.Reader) (err error) {
	if codec == nil {
		return errors.New("archive: nil codec")
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	var dst io.Writer = f
	switch c := codec.(type) {
	case GzipLevel:
		zw, zerr := gzip.NewWriterLevel(f, int(c))
		if zerr != nil {
			f.Close()
			return fmt.Errorf("archive: %w", zerr)
		}
		defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
		dst = zw
	case NoCompression:
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err := io.Copy(dst, payload); err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	return nil
}

// Entry is one file in a tarball.
type Entry struct {
	Name string
	Data []byte
}

// ArchiveTar writes entries as a gzipped tarball. The file's close is
// registered first, so it runs last, after the tar and gzip footers.
func ArchiveTar(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("tarball: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	now := time.Now()
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: 0o644, Size: int64(len(e.Data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("tarball %s: %s: %w", path, e.Name, err)
		}
		if _, err := tw.Write(e.Data); err != nil {
			return fmt.Errorf("tarball %s: %s: %w", path, e.Name, err)
		}
	}
	return nil
}

// Unarchive reads a gzip file back; both readers are read-only.
func Unarchive(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("unarchive: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("unarchive %s: %w", path, err)
	}
	defer zr.Close()
	if _, err := io.Copy(w, zr); err != nil {
		return fmt.Errorf("unarchive %s: %w", path, err)
	}
	return nil
}
