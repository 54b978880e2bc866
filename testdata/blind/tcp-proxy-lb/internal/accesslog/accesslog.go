// Package accesslog writes one line per proxied session and rotates and
// compresses the log files.
package accesslog

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Entry is one session.
type Entry struct {
	Time     time.Time
	Client   string
	Frontend string
	Backend  string
	Duration time.Duration
	BytesIn  int64
	BytesOut int64
	Err      string
}

func (e Entry) line() string {
	errField := "-"
	if e.Err != "" {
		errField = fmt.Sprintf("%q", e.Err)
	}
	return fmt.Sprintf("%s %s %s %s %dms %d %d %s\n",
		e.Time.UTC().Format(time.RFC3339Nano), e.Client, e.Frontend, e.Backend,
		e.Duration.Milliseconds(), e.BytesIn, e.BytesOut, errField)
}

// Logger appends entries to a file through a buffer.
type Logger struct {
	mu   sync.Mutex
	path string
	f    *os.File
	bw   *bufio.Writer
}

// Open opens (or creates) the log file for appending.
func Open(path string) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("accesslog: %w", err)
	}
	return &Logger{path: path, f: f, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Log appends one entry.
func (l *Logger) Log(e Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return os.ErrClosed
	}
	_, err := l.bw.WriteString(e.line())
	return err
}

// Flush writes buffered entries to the file.
func (l *Logger) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return nil
	}
	return l.bw.Flush()
}

// Close flushes and closes the file, reporting both errors.
func (l *Logger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return nil
	}
	err := errors.Join(l.bw.Flush(), l.f.Close())
	l.bw, l.f = nil, nil
	return err
}

// Rotate renames the current file aside and opens a fresh one. It returns
// the rotated path for compression.
func (l *Logger) Rotate(now time.Time) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return "", os.ErrClosed
	}
	if err := errors.Join(l.bw.Flush(), l.f.Close()); err != nil {
		return "", fmt.Errorf("accesslog: rotate: %w", err)
	}
	rotated := fmt.Sprintf("%s.%s", l.path, now.UTC().Format("20060102T150405"))
	if err := os.Rename(l.path, rotated); err != nil {
		return "", fmt.Errorf("accesslog: rotate: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		l.bw, l.f = nil, nil
		return "", fmt.Errorf("accesslog: reopen: %w", err)
	}
	l.f = f
	l.bw.Reset(f)
	return rotated, nil
}

// compressFile gzips src into dst and removes src. Both close errors are
// reported through the named result.
func compressFile(src, dst string) (err error) {
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
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err = io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// GzipTo is the correct shape: the file's close is registered first, so the
// gzip footer is written before the file is closed.
func GzipTo(dst string, r io.Reader) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, r)
	return err
}

// CompressRotated compresses every rotated file in the log's directory.
func CompressRotated(path string) ([]string, error) {
	matches, err := filepath.Glob(path + ".*")
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	var done []string
	for _, m := range matches {
		if strings.HasSuffix(m, ".gz") || strings.HasSuffix(m, ".zip") {
			continue
		}
		if err := compressFile(m, m+".gz"); err != nil {
			return done, fmt.Errorf("accesslog: compress %s: %w", m, err)
		}
		done = append(done, m+".gz")
	}
	return done, nil
}

// Archive bundles rotated files into one zip for support tickets. Each input
// is opened read-only inside its own closure; the archive's writers are
// closed in order and checked.
func Archive(dst string, files []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := zip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()

	for _, name := range files {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer func() {
				if cerr := f.Close(); cerr != nil {
					fmt.Fprintf(os.Stderr, "accesslog: close %s: %v\n", name, cerr)
				}
			}()
			w, err := zw.Create(filepath.Base(name))
			if err != nil {
				return err
			}
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("accesslog: archive %s: %w", name, err)
		}
	}
	return nil
}

// Tail returns the last n lines of the log; read-only.
func Tail(path string, n int) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines, sc.Err()
}
