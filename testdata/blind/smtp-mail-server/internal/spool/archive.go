package spool

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// ExportCompressed writes the body of message id gzip-compressed to dst,
// for attaching to support tickets.
func (s *Spool) ExportCompressed(id, dst string) (err error) {
	src, err := s.OpenBody(id)
	if err != nil {
		return err
	}
	defer src.Close()

	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer func() { err = errors.Join(err, f.Close()) }()
	zw.Name = id + ".eml"
	_, err = io.Copy(zw, src)
	return err
}

// Archive writes the bodies of the given messages into a gzip-compressed
// tar file at dst. On error the partial archive is removed.
func (s *Spool) Archive(dst string, ids []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, id := range ids {
		if err := s.addToTar(tw, id); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func (s *Spool) addToTar(tw *tar.Writer, id string) error {
	f, err := s.OpenBody(id)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{
		Name:    id + ".eml",
		Mode:    0o640,
		Size:    fi.Size(),
		ModTime: fi.ModTime(),
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
