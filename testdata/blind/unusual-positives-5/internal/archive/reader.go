package archive

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Decoder reads a JSON-lines file of T values.
type Decoder[T any] struct {
	f   *os.File
	dec *json.Decoder
	n   int
}

func openDecoder[T any](path string) (*Decoder[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open decoder: %w", err)
	}
	return &Decoder[T]{f: f, dec: json.NewDecoder(bufio.NewReader(f))}, nil
}

// Next decodes the next value; io.EOF at the end.
func (d *Decoder[T]) Next() (T, error) {
	var v T
	if err := d.dec.Decode(&v); err != nil {
		return v, err
	}
	d.n++
	return v, nil
}

// Close closes the underlying file; an empty file is reported as an error.
func (d *Decoder[T]) Close() error {
	err := d.f.Close()
	if d.n == 0 && err == nil {
		err = fmt.Errorf("%s: no records", d.f.Name())
	}
	return err
}

// ReadAll decodes every value in the JSON-lines file at path.
func ReadAll[T any](path string) ([]T, error) {
	d, err := openDecoder[T](path)
	defer d.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []T
	for {
		v, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

// ReadFirst decodes the first value of the file at path.
func ReadFirst[T any](path string) (v T, err error) {
	d, err := openDecoder[T](path)
	if err != nil {
		return v, err
	}
	defer func() { err = errors.Join(err, d.Close()) }()
	return d.Next()
}

// CountRecords counts the values in path, reporting an empty file as an error.
func CountRecords[T any](path string) (n int, err error) {
	if d, err := openDecoder[T](path); err == nil {
		defer func() { // HAZ defer-ineffective-return
			if cerr := d.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
		for {
			if _, err := d.Next(); err != nil {
				if errors.Is(err, io.EOF) {
					return n, nil
				}
				return n, err
			}
			n++
		}
	} else {
		return 0, err
	}
}

// Opener opens a named stream of some concrete ReadCloser type.
type Opener[R io.ReadCloser] func(name string) (R, error)

// Slurp reads the whole stream opened by open.
func Slurp[R io.ReadCloser](open Opener[R], name string) ([]byte, error) {
	r, err := open(name)
	defer r.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("slurp %s: %w", name, err)
	}
	return io.ReadAll(r)
}

// SlurpChecked is Slurp with the error checked before the close is deferred.
func SlurpChecked[R io.ReadCloser](open Opener[R], name string) ([]byte, error) {
	r, err := open(name)
	if err != nil {
		return nil, fmt.Errorf("slurp %s: %w", name, err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

// ReadGzip reads a file written by WriteGzip. Both readers are read-only.
func ReadGzip(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return decodeAll(zr)
}

// LoadSnapshot reads the current snapshot of dir, falling back to the
// previous one when the current file is empty (a crash mid-rewrite).
func LoadSnapshot(dir string) ([]Record, error) {
	f, err := os.Open(filepath.Join(dir, "snapshot.cur"))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		f, err = os.Open(filepath.Join(dir, "snapshot.prev"))
		if err != nil {
			return nil, err
		}
	}
	return decodeAll(f)
}

// LoadSnapshotOrPrev is LoadSnapshot with the fallback file closed by its
// own defer in a helper.
func LoadSnapshotOrPrev(dir string) ([]Record, error) {
	recs, err := loadFile(filepath.Join(dir, "snapshot.cur"))
	if err == nil && len(recs) > 0 {
		return recs, nil
	}
	return loadFile(filepath.Join(dir, "snapshot.prev"))
}

func loadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeAll(f)
}
