package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Reader decodes a stream of JSON records of type T from a file.
type Reader[T any] struct {
	f   *os.File
	dec *json.Decoder
}

// OpenReader opens path read-only.
func OpenReader[T any](path string) (*Reader[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Reader[T]{f: f, dec: json.NewDecoder(f)}, nil
}

// Next decodes the next record; it returns io.EOF at the end.
func (r *Reader[T]) Next() (T, error) {
	var v T
	err := r.dec.Decode(&v)
	return v, err
}

// Close closes the file.
func (r *Reader[T]) Close() error { return r.f.Close() }

// ReadSegments feeds fn the records of base.0 .. base.(n-1), in order.
func ReadSegments[T any](base string, n int, fn func(T)) error {
	r, err := OpenReader[T](base + ".0")
	if err != nil {
		return err
	}
	defer r.Close() // HAZ defer-eager-evaluation
	seg := 0
	for {
		v, err := r.Next()
		if err == nil {
			fn(v)
			continue
		}
		if !errors.Is(err, io.EOF) {
			return fmt.Errorf("export: %s.%d: %w", base, seg, err)
		}
		seg++
		if seg == n {
			return nil
		}
		r, err = OpenReader[T](fmt.Sprintf("%s.%d", base, seg))
		if err != nil {
			return err
		}
	}
}

// ReadAllSegments is ReadSegments with one open file at a time.
func ReadAllSegments[T any](base string, n int, fn func(T)) error {
	for seg := range n {
		if err := readSegment(fmt.Sprintf("%s.%d", base, seg), fn); err != nil {
			return err
		}
	}
	return nil
}

func readSegment[T any](path string, fn func(T)) error {
	r, err := OpenReader[T](path)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		v, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("export: %s: %w", path, err)
		}
		fn(v)
	}
}
