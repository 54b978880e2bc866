package wal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Replay calls fn for every record in dir, oldest segment first.
func Replay(dir string, fn func(segID uint64, rec []byte) error) error {
	ids, err := listSegments(dir)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := func() error {
			f, err := os.Open(segmentPath(dir, id))
			if err != nil {
				return err
			}
			defer f.Close() // ok: per-iteration closure, read-only
			return replaySegment(id, bufio.NewReader(f), fn)
		}(); err != nil {
			return err
		}
	}
	return nil
}

func replaySegment(id uint64, r *bufio.Reader, fn func(uint64, []byte) error) error {
	for {
		rec, err := readRecord(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("wal: segment %d: %w", id, err)
		}
		if err := fn(id, rec); err != nil {
			return err
		}
	}
}

// ReadSegment returns all records of one segment.
func ReadSegment(dir string, id uint64) (recs [][]byte, err error) {
	f, err := os.Open(segmentPath(dir, id))
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	err = replaySegment(id, bufio.NewReader(f), func(_ uint64, rec []byte) error {
		recs = append(recs, rec)
		return nil
	})
	return recs, err
}

// Bounds returns the first record of the oldest segment and the last record
// of the newest one.
func Bounds(dir string) (first, last []byte, err error) {
	ids, err := listSegments(dir)
	if err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		return nil, nil, errors.New("wal: empty log")
	}
	f, err := os.Open(segmentPath(dir, ids[0]))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if first, err = readRecord(bufio.NewReader(f)); err != nil {
		return nil, nil, err
	}
	f, err = os.Open(segmentPath(dir, ids[len(ids)-1]))
	if err != nil {
		return nil, nil, err
	}
	r := bufio.NewReader(f)
	for {
		rec, err := readRecord(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		last = rec
	}
	return first, last, nil
}

// SegmentSizes returns the size in bytes of each segment.
func SegmentSizes(dir string) (map[uint64]int64, error) {
	ids, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	sizes := make(map[uint64]int64, len(ids))
	for _, id := range ids {
		st, err := os.Stat(segmentPath(dir, id))
		if err != nil {
			return nil, err
		}
		sizes[id] = st.Size()
	}
	return sizes, nil
}

// CountRecords counts records in the given segments concurrently.
func CountRecords(dir string, ids []uint64) (int, error) {
	type result struct {
		n   int
		err error
	}
	results := make(chan result, len(ids))
	defer close(results) // ok: every sender has finished at wg.Wait below
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			err := func() error {
				f, err := os.Open(segmentPath(dir, id))
				if err != nil {
					return err
				}
				defer f.Close()
				return replaySegment(id, bufio.NewReader(f), func(uint64, []byte) error { n++; return nil })
			}()
			results <- result{n, err}
		}()
	}
	wg.Wait()
	total := 0
	var errs []error
	for range ids {
		r := <-results
		total += r.n
		errs = append(errs, r.err)
	}
	return total, errors.Join(errs...)
}
