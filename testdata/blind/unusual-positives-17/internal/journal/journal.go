// Package journal is an append-only JSON-lines journal of typed records,
// optionally gzip-compressed once rotated.
package journal

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Journal stores records of type T in the file at path.
type Journal[T any] struct {
	mu   sync.Mutex
	path string
}

// Open returns a journal backed by path. The file is created on first write.
func Open[T any](path string) *Journal[T] {
	return &Journal[T]{path: path}
}

// Append writes recs at the end of the journal. The close error is joined
// into the named result.
func (j *Journal[T]) Append(recs ...T) (err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Replay calls apply for every record in the journal, in order.
func (j *Journal[T]) Replay(apply func(T) error) (applied int, err error) {
	f, err := os.Open(j.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()

	var r io.Reader = f
	if strings.HasSuffix(j.path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return 0, err
		}
		defer func() { // HAZ defer-ineffective-return
			if cerr := zr.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("journal %s: %w", j.path, cerr)
			}
		}()
		r = zr
	}
	return j.decode(r, apply)
}

// decode applies every JSON value read from r.
func (j *Journal[T]) decode(r io.Reader, apply func(T) error) (int, error) {
	dec := json.NewDecoder(r)
	n := 0
	for {
		var rec T
		if err := dec.Decode(&rec); err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, fmt.Errorf("journal %s: record %d: %w", j.path, n+1, err)
		}
		if err := apply(rec); err != nil {
			return n, err
		}
		n++
	}
}

// Count returns the number of records. The wrapping closure assigns the
// named result, so a decode failure reaches the caller with context.
func (j *Journal[T]) Count() (n int, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("count %s: %w", j.path, err)
		}
	}()
	return j.Replay(func(T) error { return nil })
}

// Compact rewrites the journal, keeping the records for which keep is true.
func (j *Journal[T]) Compact(keep func(T) bool) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()

	var recs []T
	if _, err := j.Replay(func(v T) error {
		if keep(v) {
			recs = append(recs, v)
		}
		return nil
	}); err != nil {
		return 0, err
	}

	tmp, err := os.CreateTemp(filepath.Dir(j.path), ".compact-*")
	if err != nil {
		return 0, err
	}
	renamed := false
	defer func() error { // HAZ defer-ineffective-return
		if renamed {
			return nil
		}
		return os.Remove(tmp.Name())
	}()

	enc := json.NewEncoder(tmp)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			tmp.Close()
			return 0, err
		}
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return 0, err
	}
	renamed = true
	return len(recs), nil
}

// ReadAll returns every record of the journal at path.
func ReadAll[T any](path string) ([]T, error) {
	var (
		recs []T
		err  error
	)
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("journal.ReadAll %s: %w", path, err)
		}
	}()
	_, err = Open[T](path).Replay(func(v T) error {
		recs = append(recs, v)
		return nil
	})
	return recs, err
}

// Last returns the final record of the journal at path. The wrapping
// closure assigns the named result.
func Last[T any](path string) (last T, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("journal.Last %s: %w", path, err)
		}
	}()
	_, err = Open[T](path).Replay(func(v T) error {
		last = v
		return nil
	})
	return last, err
}
