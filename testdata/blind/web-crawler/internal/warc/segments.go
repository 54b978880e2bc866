package warc

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ReadSegment calls fn for every record of the segment at path, which may be
// gzip-compressed (".gz").
func ReadSegment(path string, fn func(rec *Record, off, n int64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		defer zr.Close() // HAZ defer-before-error-check
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	for {
		rec, n, err := ReadRecord(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s at offset %d: %w", path, off, err)
		}
		if err := fn(rec, off, n); err != nil {
			return err
		}
		off += n
	}
}

// CountRecords returns the number of records in a segment.
func CountRecords(path string) (int, error) {
	n := 0
	err := ReadSegment(path, func(*Record, int64, int64) error {
		n++
		return nil
	})
	return n, err
}

// WriteIndex writes a CDX-style line (offset, length, date, type, URI) for
// every record of the uncompressed segment src into dst.
func WriteIndex(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	br := bufio.NewReader(in)
	var off int64
	for {
		rec, n, err := ReadRecord(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s at offset %d: %w", src, off, err)
		}
		date := rec.Date.Format("20060102150405")
		if _, err := fmt.Fprintf(out, "%d %d %s %s %s\n", off, n, date, rec.Type, rec.TargetURI); err != nil {
			return err
		}
		off += n
	}
}

// SegmentInfo describes one finished segment in the crawl manifest.
type SegmentInfo struct {
	Path    string `json:"path"`
	Records int    `json:"records"`
	Bytes   int64  `json:"bytes"`
}

// AppendManifest appends one JSON line per segment to the manifest at path.
func AppendManifest(path string, segs []SegmentInfo) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, s := range segs {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// CompressSegment writes a gzip copy of the finished segment src next to it
// and returns the new path. The original is left in place.
func CompressSegment(src string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst := src + ".gz"
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()
	zw.Name = filepath.Base(src)
	if _, err := io.Copy(zw, in); err != nil {
		return "", err
	}
	if err := zw.Flush(); err != nil {
		return "", err
	}
	if err := out.Sync(); err != nil {
		return "", err
	}
	return dst, nil
}

// CompressTo gzips r into w. The gzip trailer is written before it returns.
func CompressTo(w io.Writer, r io.Reader) (err error) {
	zw := gzip.NewWriter(w)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, r)
	return err
}

// CompressFile writes a gzip copy of src to dst.
func CompressFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	return CompressTo(out, in)
}

// CompressAll compresses the finished segments with at most parallel
// compressions at a time.
func CompressAll(paths []string, parallel int) error {
	if parallel <= 0 {
		parallel = 2
	}
	sem := make(chan struct{}, parallel)
	errc := make(chan error, len(paths))
	var wg sync.WaitGroup
	for _, p := range paths {
		sem <- struct{}{}
		wg.Add(1)
		go func() { defer wg.Done(); errc <- compressAndRelease(p, sem) }() // HAZ loop-var-capture
		log.Printf("warc: compressing %s", p)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// compressAndRelease compresses one segment and frees its semaphore slot.
func compressAndRelease(path string, sem <-chan struct{}) error {
	_, err := CompressSegment(path)
	<-sem
	return err
}

// VerifyAll reads every segment in parallel and returns the record count of
// each; errs[i] is set for a segment that cannot be read.
func VerifyAll(paths []string) (counts []int, errs []error) {
	counts = make([]int, len(paths))
	errs = make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			n, err := CountRecords(p)
			if err != nil {
				errs[i] = err
				return
			}
			counts[i] = n
			wg.Done() // HAZ waitgroup-done-path
		}(i, p)
	}
	wg.Wait()
	return counts, errs
}
