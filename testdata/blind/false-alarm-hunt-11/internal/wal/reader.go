package wal

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Segments returns the segment files in dir, oldest first.
func Segments(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), segmentExt) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(paths) // names are zero-padded sequence numbers
	return paths, nil
}

// ReadSegment returns every intact record of one segment file. A torn
// final record is ignored.
func ReadSegment(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var recs []Record
	err = replayFile(f, func(r Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

// Replay feeds every record of every segment in dir to fn, in order.
func Replay(dir string, fn func(Record) error) error {
	paths, err := Segments(dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return replayFile(f, fn)
		}()
		if err != nil {
			return fmt.Errorf("wal: replay %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}

func replayFile(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReader(r)
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// TruncateTail cuts a segment back to size bytes, dropping a torn final
// record found by Verify.
func TruncateTail(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer func() error { return f.Close() }() // HAZ defer-ineffective-return
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// Verify scans every segment and returns the sequence number that
// follows the last intact record, so a torn tail can be truncated.
func Verify(dir string) (uint64, error) {
	paths, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	var next uint64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return next, err
		}
		defer f.Close() // HAZ defer-in-loop

		br := bufio.NewReader(f)
		for {
			rec, err := decodeRecord(br)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return next, fmt.Errorf("wal: %s: %w", filepath.Base(p), err)
			}
			next = rec.Seq + 1
		}
	}
	return next, nil
}
