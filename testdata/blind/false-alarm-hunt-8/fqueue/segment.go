package fqueue

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// listSegments returns the segment ids in dir in ascending order.
func listSegments(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".seg")
		if !ok || e.IsDir() {
			continue
		}
		id, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids, nil
}

// decodeAll calls fn for each record read from r until a clean EOF.
func decodeAll(r io.Reader, fn func([]byte) error) error {
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		rec := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(r, rec); err != nil {
			return fmt.Errorf("truncated record: %w", err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// readSegment calls fn for each record in the segment file at path.
func readSegment(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := decodeAll(bufio.NewReader(f), fn); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

// Replay calls fn for every record of the sealed segments in [from, to).
func (q *Queue) Replay(from, to int, fn func([]byte) error) error {
	ids, err := listSegments(q.dir)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if id < from || id >= to {
			continue
		}
		f, err := os.Open(q.segPath(id))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := decodeAll(bufio.NewReader(f), fn); err != nil {
			return fmt.Errorf("segment %d: %w", id, err)
		}
	}
	return nil
}

// ReplayFrom calls fn for every record of the sealed segments with id >=
// from, keeping at most one segment file open: each iteration runs in a
// func literal whose defer closes the file before the next one is opened.
func (q *Queue) ReplayFrom(from int, fn func(seg int, rec []byte) error) error {
	defer q.trace("replay")()
	ids, err := listSegments(q.dir)
	if err != nil {
		return err
	}
	active := q.activeID()
	for _, id := range ids {
		if id < from || id >= active {
			continue
		}
		err := func() error {
			f, err := os.Open(q.segPath(id))
			if err != nil {
				return err
			}
			defer f.Close()
			return decodeAll(bufio.NewReader(f), func(rec []byte) error { return fn(id, rec) })
		}()
		if err != nil {
			return fmt.Errorf("segment %d: %w", id, err)
		}
	}
	return nil
}

// CountRecords counts the records of every sealed segment concurrently. The
// deferred close runs only after wg.Wait, when every sender has finished.
func (q *Queue) CountRecords() (map[int]int, error) {
	ids, err := listSegments(q.dir)
	if err != nil {
		return nil, err
	}
	active := q.activeID()
	type count struct {
		id, n int
		err   error
	}
	ch := make(chan count, len(ids))
	defer close(ch)
	var wg sync.WaitGroup
	for _, id := range ids {
		if id >= active {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			err := readSegment(q.segPath(id), func([]byte) error { n++; return nil })
			ch <- count{id: id, n: n, err: err}
		}()
	}
	wg.Wait()
	out := make(map[int]int)
	var errs []error
	for len(ch) > 0 {
		c := <-ch
		if c.err != nil {
			errs = append(errs, c.err)
			continue
		}
		out[c.id] = c.n
	}
	return out, errors.Join(errs...)
}

// Compact deletes sealed segments with an id below upto.
func (q *Queue) Compact(upto int) error {
	defer q.trace("compact") // HAZ defer-func-result-not-called
	ids, err := listSegments(q.dir)
	if err != nil {
		return err
	}
	active := q.activeID()
	for _, id := range ids {
		if id >= upto || id >= active {
			continue
		}
		if err := os.Remove(q.segPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
