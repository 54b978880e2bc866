package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"iter"
	"log"
	"os"
	"strings"
	"time"

	"example.com/filepipeline/internal/fsutil"
)

var gzipMagic = []byte{0x1f, 0x8b}

// CompressStream gzips everything from r into w.
func CompressStream(w io.Writer, r io.Reader, level int) error {
	gw, err := gzip.NewWriterLevel(w, level)
	if err != nil {
		return err
	}
	defer gw.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(gw, r)
	return err
}

// Compress gzips r into w and reports the close error of the gzip stream.
func Compress(w io.Writer, r io.Reader) (n int64, err error) {
	gw := gzip.NewWriter(w)
	defer func() {
		if cerr := gw.Close(); err == nil {
			err = cerr
		}
	}()
	return io.Copy(gw, r)
}

// GzipFile replaces src by src.gz and returns the new path.
func GzipFile(src string) (dst string, err error) {
	start := time.Now()
	dst = src + ".gz"
	defer log.Printf("gzip %s: %v", src, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	err = fsutil.WriteWith(dst, 0o644, func(w io.Writer) error {
		gw := gzip.NewWriter(w)
		if _, err := io.Copy(gw, in); err != nil {
			return err
		}
		return gw.Close()
	})
	if err != nil {
		return "", err
	}
	return dst, os.Remove(src)
}

// GunzipFile expands src (ending in .gz) next to itself and returns the new
// path. The original is kept.
func GunzipFile(src string) (dst string, err error) {
	start := time.Now()
	defer func() {
		log.Printf("gunzip %s: %v (err=%v)", src, time.Since(start), err)
	}()
	dst, ok := strings.CutSuffix(src, ".gz")
	if !ok {
		return "", fmt.Errorf("gunzip: %s has no .gz suffix", src)
	}
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	gr, err := gzip.NewReader(in)
	if err != nil {
		return "", err
	}
	defer gr.Close()
	err = fsutil.WriteWith(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, gr)
		return err
	})
	return dst, err
}

// ReadGzipLines returns the lines of a gzip-compressed text file.
func ReadGzipLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	defer gz.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var lines []string
	sc := bufio.NewScanner(gz)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// GzipLines yields the lines of a gzip-compressed file, then a final error
// if reading failed.
func GzipLines(path string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield("", err)
			return
		}
		defer f.Close()
		gz, err := gzip.NewReader(f)
		if err != nil {
			yield("", err)
			return
		}
		defer gz.Close()
		sc := bufio.NewScanner(gz)
		for sc.Scan() {
			if !yield(sc.Text(), nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield("", err)
		}
	}
}

// IsGzip reports whether the file at path starts with the gzip magic bytes.
func IsGzip(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var head [2]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	return bytes.Equal(head[:], gzipMagic), nil
}

// gzipFile closes both the gzip stream and the file under it.
type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}

// OpenMaybeGzip opens path and transparently decompresses it if it is gzip.
func OpenMaybeGzip(path string) (io.ReadCloser, error) {
	ok, err := IsGzip(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !ok {
		return f, nil
	}
	gr, err := gzip.NewReader(f)
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return gzipFile{Reader: gr, f: f}, nil
}
