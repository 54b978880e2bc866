package wal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// replay decodes records from r and applies them in order.
func replay(r io.Reader, apply func(Record) error) (int, error) {
	br := bufio.NewReader(r)
	n := 0
	for {
		rec, err := Decode(br)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if err := apply(rec); err != nil {
			return n, err
		}
		n++
	}
}

// ReplayFile applies every record of the segment at path.
func ReplayFile(path string, apply func(Record) error) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return replay(f, apply)
}

// ReplayDir applies every segment in dir in revision order and returns the
// number of records applied.
func ReplayDir(dir string, apply func(Record) error) (int, error) {
	names, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := replay(f, apply)
		total += n
		if err != nil {
			return total, fmt.Errorf("replay %s: %w", name, err)
		}
	}
	return total, nil
}

// VerifyDir decodes every segment in dir and returns the record count of
// each. Each segment is closed before the next one is opened.
func VerifyDir(dir string) (map[string]int, error) {
	names, err := Segments(dir)
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int, len(names))
	for _, name := range names {
		err := func() error {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			n, err := replay(f, func(Record) error { return nil })
			counts[name] = n
			return err
		}()
		if err != nil {
			return counts, fmt.Errorf("verify %s: %w", name, err)
		}
	}
	return counts, nil
}

// ReadNewest calls fn with the newest segment in dir that can be opened.
// Segments removed by a concurrent compaction are skipped; the loop opens at
// most one file that stays open, and returns right after deferring its close.
func ReadNewest(dir string, fn func(name string, r io.Reader) error) error {
	names, err := Segments(dir)
	if err != nil {
		return err
	}
	for i := len(names) - 1; i >= 0; i-- {
		f, err := os.Open(filepath.Join(dir, names[i]))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		defer f.Close()
		return fn(names[i], f)
	}
	return fs.ErrNotExist
}

// LastRev returns the highest revision recorded in dir.
func LastRev(dir string) (int64, error) {
	var last int64
	err := ReadNewest(dir, func(_ string, r io.Reader) error {
		_, err := replay(r, func(rec Record) error {
			last = max(last, rec.Rev)
			return nil
		})
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return last, err
}
