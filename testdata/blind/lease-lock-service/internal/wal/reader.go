package wal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const segmentExt = ".wal"

// segmentName is the file name of the segment whose first record has index
// first; zero padding keeps lexical and numeric order the same.
func segmentName(first uint64) string {
	return fmt.Sprintf("%020d%s", first, segmentExt)
}

func parseSegmentName(name string) (uint64, error) {
	base, ok := strings.CutSuffix(name, segmentExt)
	if !ok {
		return 0, fmt.Errorf("wal: %q is not a segment", name)
	}
	n, err := strconv.ParseUint(base, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("wal: bad segment name %q: %w", name, err)
	}
	return n, nil
}

// segmentNames lists the segment files of dir, oldest first.
func segmentNames(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), segmentExt) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// ReadSegment decodes every record of one segment file.
func ReadSegment(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var recs []Record
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, fmt.Errorf("wal: %s: %w", filepath.Base(path), err)
		}
		recs = append(recs, rec)
	}
}

// Replay calls fn for every record in dir, oldest first, stopping at the
// first error.
func Replay(dir string, fn func(Record) error) error {
	names, err := segmentNames(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		br := bufio.NewReader(f)
		for {
			rec, err := decodeRecord(br)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("wal: %s: %w", name, err)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReplayFrom calls fn for every record with an index >= from. A torn record
// at the very end of the last segment (a crash mid-append) ends the replay
// without error.
func ReplayFrom(dir string, from uint64, fn func(Record) error) error {
	names, err := segmentNames(dir)
	if err != nil {
		return err
	}
	for i, name := range names {
		last := i == len(names)-1
		err := func() error {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			br := bufio.NewReader(f)
			for {
				rec, err := decodeRecord(br)
				switch {
				case err == io.EOF:
					return nil
				case errors.Is(err, ErrCorrupt) && last:
					return nil
				case err != nil:
					return fmt.Errorf("wal: %s: %w", name, err)
				}
				if rec.Index < from {
					continue
				}
				if err := fn(rec); err != nil {
					return err
				}
			}
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// boundsOf returns the first and last record index found in r.
func boundsOf(r io.Reader) (first, last uint64, err error) {
	br := bufio.NewReader(r)
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF {
			return first, last, nil
		}
		if err != nil {
			return first, last, err
		}
		if first == 0 {
			first = rec.Index
		}
		last = rec.Index
	}
}

// CheckContinuity verifies that every segment starts exactly one index
// after the last record of the previous segment (no gap left by a crash
// during rotation or a botched compaction).
func CheckContinuity(dir string) error {
	names, err := segmentNames(dir)
	if err != nil || len(names) < 2 {
		return err
	}
	f, err := os.Open(filepath.Join(dir, names[0]))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	_, prev, err := boundsOf(f)
	if err != nil {
		return fmt.Errorf("wal: %s: %w", names[0], err)
	}
	for _, name := range names[1:] {
		f, err = os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		first, last, err := boundsOf(f)
		if err != nil {
			return fmt.Errorf("wal: %s: %w", name, err)
		}
		if first != 0 && prev != 0 && first != prev+1 {
			return fmt.Errorf("wal: gap between index %d and %d before %s", prev, first, name)
		}
		if last != 0 {
			prev = last
		}
	}
	return nil
}

// LastIndexOf opens the log in dir just long enough to read its last index.
func LastIndexOf(dir string) (uint64, error) {
	l, err := Open(dir, Options{})
	defer l.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return l.LastIndex(), nil
}
