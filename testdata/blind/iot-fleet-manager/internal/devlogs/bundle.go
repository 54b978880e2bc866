package devlogs

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
)

// Bundle packs log files into a .tar.gz for support tickets.
func Bundle(paths []string, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			log.Printf("devlogs: close %s: %v", dst, cerr)
		}
	}()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	defer tw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer gz.Close()
	for _, p := range paths {
		if err := addTar(tw, p); err != nil {
			return err
		}
	}
	return gz.Flush()
}

// BundleTo is Bundle with the writers closed innermost first and every
// error returned.
func BundleTo(paths []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, p := range paths {
		if err := addTar(tw, p); err != nil {
			return errors.Join(err, tw.Close(), gz.Close())
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func addTar(tw *tar.Writer, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
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
	_, err = io.Copy(tw, in)
	return err
}

// compressRotated gzips a rotated log in the background worker; a panic
// (corrupt file system, bad permissions in a test) is logged.
func compressRotated(path string, logger *log.Logger) {
	defer logger.Printf("devlogs: compress %s: recovered %v", path, recover()) // HAZ recover-ineffective
	if err := BundleTo([]string{path}, path+".tar.gz"); err != nil {
		logger.Printf("devlogs: compress %s: %v", path, err)
		return
	}
	os.Remove(path)
}

// CompressAll compresses every rotated log of a directory in order.
func CompressAll(dir string, logger *log.Logger) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.log.*"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		if filepath.Ext(p) == ".gz" {
			continue
		}
		compressRotated(p, logger)
	}
	return nil
}
