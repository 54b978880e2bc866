package fqueue

import (
	"bufio"
	"errors"
	"os"
)

// errStop ends a replay early without reporting an error.
var errStop = errors.New("fqueue: stop")

// Replay calls fn for every record in every segment, oldest first.
func (q *Queue) Replay(fn func(rec []byte) error) error {
	if err := q.Sync(); err != nil {
		return err
	}
	paths, err := q.Segments()
	if err != nil {
		return err
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := readFrames(bufio.NewReader(f), fn); err != nil {
			return err
		}
	}
	return nil
}

// ReplayEach is Replay with one file open at a time: each segment is
// handled by readSegmentFile, whose deferred Close runs per segment.
func (q *Queue) ReplayEach(fn func(rec []byte) error) error {
	if err := q.Sync(); err != nil {
		return err
	}
	paths, err := q.Segments()
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := readSegmentFile(p, fn); err != nil {
			return err
		}
	}
	return nil
}

// Count returns the number of records in the queue. The per-file defer
// lives in a function literal, so it runs at the end of each iteration.
func (q *Queue) Count() (int, error) {
	if err := q.Sync(); err != nil {
		return 0, err
	}
	paths, err := q.Segments()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return readFrames(f, func([]byte) error { n++; return nil })
		}()
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Head returns up to n records from the start of the queue.
func (q *Queue) Head(n int) ([][]byte, error) {
	var out [][]byte
	err := q.ReplayEach(func(rec []byte) error {
		if len(out) >= n {
			return errStop
		}
		out = append(out, append([]byte(nil), rec...))
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// Verify checks every frame's checksum and returns the first bad segment.
func Verify(dir string) (string, error) {
	ids, err := listSegments(dir)
	if err != nil {
		return "", err
	}
	for _, id := range ids {
		p := dir + string(os.PathSeparator) + segName(id)
		if err := readSegmentFile(p, func([]byte) error { return nil }); err != nil {
			return p, err
		}
	}
	return "", nil
}
