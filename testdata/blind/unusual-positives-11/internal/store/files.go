package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// LoadAll decodes one T from each source. A source is a path, an in-memory
// document or an already-open reader.
func LoadAll[T any](srcs []any, dec func(io.Reader) (T, error)) ([]T, error) {
	out := make([]T, 0, len(srcs))
	for i, src := range srcs {
		var r io.Reader
		switch s := src.(type) {
		case string:
			f, err := os.Open(s)
			if err != nil {
				return nil, fmt.Errorf("source %d: %w", i, err)
			}
			defer f.Close() // HAZ defer-in-loop
			r = f
		case []byte:
			r = bytes.NewReader(s)
		case io.Reader:
			r = s
		default:
			return nil, fmt.Errorf("source %d: unsupported %T", i, src)
		}
		v, err := dec(r)
		if err != nil {
			return nil, fmt.Errorf("source %d: decode: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// LoadEach is LoadAll for paths only, with each file closed at the end of
// its own iteration.
func LoadEach[T any](paths []string, dec func(io.Reader) (T, error)) ([]T, error) {
	out := make([]T, 0, len(paths))
	for _, p := range paths {
		v, err := func() (T, error) {
			f, err := os.Open(p)
			if err != nil {
				var zero T
				return zero, err
			}
			defer f.Close()
			return dec(bufio.NewReader(f))
		}()
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", p, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// WriteCSV writes one CSV row per element of rows.
func WriteCSV[T any](path string, header []string, rows []T, enc func(T) []string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return fmt.Errorf("csv %s: header: %w", path, err)
	}
	for i, row := range rows {
		if err := w.Write(enc(row)); err != nil {
			return fmt.Errorf("csv %s: row %d: %w", path, i, err)
		}
	}
	w.Flush()
	return w.Error()
}

// WriteJSON writes v as indented JSON; the close error is joined into the
// named result.
func WriteJSON[T any](path string, v T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("json %s: %w", path, err)
	}
	return bw.Flush()
}

// spill writes one chunk to its own file under dir and returns the path.
func spill(dir, name string, chunk []byte) (string, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("spill: %w", err)
	}
	defer (*os.File).Close(f) // HAZ defer-close-unchecked-write
	if _, err := f.Write(chunk); err != nil {
		return "", fmt.Errorf("spill %s: %w", path, err)
	}
	return path, nil
}

// SpillAll writes chunks to numbered files.
func SpillAll(dir string, chunks [][]byte) ([]string, error) {
	paths := make([]string, 0, len(chunks))
	for i, c := range chunks {
		p, err := spill(dir, fmt.Sprintf("chunk-%05d.bin", i), c)
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// readHeader returns the first n bytes of a file opened read-only; the
// method-expression close has nothing to lose.
func readHeader(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	defer (*os.File).Close(f)
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("header %s: %w", path, err)
	}
	return buf[:k], nil
}

// IsGzip reports whether path starts with the gzip magic number.
func IsGzip(path string) (bool, error) {
	h, err := readHeader(path, 2)
	if err != nil {
		return false, err
	}
	return len(h) == 2 && h[0] == 0x1f && h[1] == 0x8b, nil
}

// AppendLine appends one line; the deferred close only covers the error
// paths, the success path returns the checked close.
func AppendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	defer f.Close()
	if _, err := io.WriteString(f, line+"\n"); err != nil {
		return fmt.Errorf("append %s: %w", path, err)
	}
	return f.Close()
}

// Checksum returns the hex SHA-256 of a file opened read-only.
func Checksum(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return "", fmt.Errorf("checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("checksum %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WriteFileAtomic writes data to a temp file, syncs and closes it with the
// errors checked, then renames it over path.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("atomic write: %w", err)
	}
	defer os.Remove(f.Name()) // no-op once renamed
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("atomic write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("atomic write %s: sync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomic write %s: close: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}

// closeAll closes files with a method expression and joins the errors.
func closeAll(files []*os.File) error {
	return closeEach(files, (*os.File).Close)
}

func closeEach[T any](xs []T, closeFn func(T) error) error {
	var errs []error
	for _, x := range xs {
		if err := closeFn(x); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// OpenAll opens every path read-only; on failure the ones opened so far are
// closed before returning.
func OpenAll(paths []string) (files []*os.File, err error) {
	defer func() {
		if err != nil {
			_ = closeAll(files)
			files = nil
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return files, fmt.Errorf("open all: %w", err)
		}
		files = append(files, f)
	}
	return files, nil
}
