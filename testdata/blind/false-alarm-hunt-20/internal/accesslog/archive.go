package accesslog

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// compressSegment gzips the rotated segment src into dst.
func compressSegment(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// CompressRotated gzips every rotated segment next to the log at logPath and
// removes the originals. Progress goes to a logging goroutine that only
// receives, so closing the channel on return is what ends it.
func CompressRotated(logPath string, logger *log.Logger) (int, error) {
	matches, err := filepath.Glob(logPath + ".*")
	if err != nil {
		return 0, err
	}
	progress := make(chan string, len(matches))
	defer close(progress)
	go func() {
		for name := range progress {
			logger.Printf("accesslog: compressed %s", name)
		}
	}()
	n := 0
	for _, m := range matches {
		if strings.HasSuffix(m, ".gz") {
			continue
		}
		if err := compressSegment(m, m+".gz"); err != nil {
			return n, err
		}
		if err := os.Remove(m); err != nil {
			return n, err
		}
		progress <- m
		n++
	}
	return n, nil
}

// Archive bundles files into a .tar.gz at dst. The writers are closed in
// LIFO order (tar, then gzip, then the file) and every error is kept.
func Archive(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	for _, name := range files {
		if err := addFile(tw, name); err != nil {
			return err
		}
	}
	return nil
}

func addFile(tw *tar.Writer, name string) error {
	f, err := os.Open(name)
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
	hdr.Name = filepath.Base(name)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// ReadSegment returns the lines of a compressed segment.
func ReadSegment(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// WriteIndex writes a "name size" line per segment for the log shipper.
func WriteIndex(path string, segments []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, seg := range segments {
		st, err := os.Stat(seg)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(bw, "%s %d\n", filepath.Base(seg), st.Size()); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest is WriteIndex for the archive job: the buffer is flushed
// and the file closed explicitly, in that order, on the success path.
func WriteManifest(path string, segments []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, seg := range segments {
		if _, err := fmt.Fprintln(bw, filepath.Base(seg)); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
