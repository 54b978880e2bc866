package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ReadSegment calls fn for every record of one segment file, in order.
func ReadSegment(path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for {
		rec, err := decodeRecord(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// Replay calls fn for every record with Seq >= from, across all segments.
func Replay(dir string, from uint64, fn func(Record) error) error {
	names, err := listSegments(dir)
	if err != nil {
		return err
	}
	for i, name := range names {
		if i+1 < len(names) {
			if next, _ := parseSegmentName(names[i+1]); next <= from {
				continue // the whole segment is before from
			}
		}
		err := ReadSegment(filepath.Join(dir, name), func(r Record) error {
			if r.Seq < from {
				return nil
			}
			return fn(r)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Report summarises a verification pass.
type Report struct {
	Segments int
	Records  int
	Corrupt  []string
}

// Verify checks the checksum of every record in every segment.
func Verify(dir string) (Report, error) {
	var rep Report
	names, err := listSegments(dir)
	if err != nil {
		return rep, err
	}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return rep, err
		}
		defer f.Close() // HAZ defer-in-loop
		rep.Segments++
		br := bufio.NewReader(f)
		for {
			_, err := decodeRecord(br)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rep.Corrupt = append(rep.Corrupt, fmt.Sprintf("%s: %v", name, err))
				break
			}
			rep.Records++
		}
	}
	return rep, nil
}

// scanFor reads records from r until it finds seq.
func scanFor(r io.Reader, seq uint64) (Record, bool, error) {
	br := bufio.NewReader(r)
	for {
		rec, err := decodeRecord(br)
		if errors.Is(err, io.EOF) {
			return Record{}, false, nil
		}
		if err != nil {
			return Record{}, false, err
		}
		if rec.Seq == seq {
			return rec, true, nil
		}
		if rec.Seq > seq {
			return Record{}, false, nil
		}
	}
}

// LookupSeq finds one record. Lookups are almost always for recent records,
// so it tries the newest segment first and falls back to the one before it.
func LookupSeq(dir string, seq uint64) (Record, error) {
	names, err := listSegments(dir)
	if err != nil {
		return Record{}, err
	}
	if len(names) == 0 {
		return Record{}, ErrNotFound
	}
	f, err := os.Open(filepath.Join(dir, names[len(names)-1]))
	if err != nil {
		return Record{}, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	rec, found, err := scanFor(f, seq)
	if err != nil || found {
		return rec, err
	}
	if len(names) < 2 {
		return Record{}, ErrNotFound
	}
	f, err = os.Open(filepath.Join(dir, names[len(names)-2]))
	if err != nil {
		return Record{}, err
	}
	rec, found, err = scanFor(f, seq)
	if err != nil {
		return Record{}, err
	}
	if !found {
		return Record{}, ErrNotFound
	}
	return rec, nil
}

// Tail returns the last n records of the newest segment; the file is only
// read, so the deferred Close needs no error handling.
func Tail(dir string, n int) ([]Record, error) {
	names, err := listSegments(dir)
	if err != nil || len(names) == 0 {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, names[len(names)-1]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring := make([]Record, 0, n)
	br := bufio.NewReader(f)
	for {
		rec, err := decodeRecord(br)
		if errors.Is(err, io.EOF) || errors.Is(err, ErrTruncated) {
			return ring, nil
		}
		if err != nil {
			return ring, err
		}
		if len(ring) == n {
			copy(ring, ring[1:])
			ring = ring[:n-1]
		}
		ring = append(ring, rec)
	}
}

// Follow calls fn for every record appended to the newest segment, polling
// every interval, like tail -f. It never returns; run it in its own goroutine.
func Follow(dir string, every time.Duration, fn func(Record)) {
	var (
		current string
		offset  int64
	)
	for {
		names, err := listSegments(dir)
		if err != nil || len(names) == 0 {
			time.Sleep(every)
			continue
		}
		if newest := names[len(names)-1]; newest != current {
			current, offset = newest, 0
		}
		f, err := os.Open(filepath.Join(dir, current))
		if err != nil {
			time.Sleep(every)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			time.Sleep(every)
			continue
		}
		br := bufio.NewReader(f)
		for {
			rec, err := decodeRecord(br)
			if err != nil {
				break
			}
			offset += int64(headerSize + len(rec.Payload))
			fn(rec)
		}
		time.Sleep(every)
	}
}

// FollowContext is Follow with a way out: each poll opens and closes the
// segment inside its own function, and ctx ends the loop.
func FollowContext(ctx context.Context, dir string, every time.Duration, fn func(Record)) error {
	var (
		current string
		offset  int64
	)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		names, err := listSegments(dir)
		if err != nil {
			return err
		}
		if len(names) > 0 {
			if newest := names[len(names)-1]; newest != current {
				current, offset = newest, 0
			}
			offset, err = readFrom(filepath.Join(dir, current), offset, fn)
			if err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// readFrom reads complete records of path starting at offset and returns
// the offset after the last one.
func readFrom(path string, offset int64, fn func(Record)) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return offset, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return offset, err
	}
	br := bufio.NewReader(f)
	for {
		rec, err := decodeRecord(br)
		if errors.Is(err, io.EOF) || errors.Is(err, ErrTruncated) {
			return offset, nil
		}
		if err != nil {
			return offset, err
		}
		offset += int64(headerSize + len(rec.Payload))
		fn(rec)
	}
}

// TruncateTail cuts a segment back to size, dropping a torn final record
// found during recovery.
func TruncateTail(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// CountRecords counts the records of every segment concurrently, giving up
// at the first error or when ctx is done.
func CountRecords(ctx context.Context, dir string) (map[string]int, error) {
	names, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	type result struct {
		name string
		n    int
		err  error
	}
	out := make(chan result, len(names))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, name := range names {
		go func() {
			n := 0
			err := ReadSegment(filepath.Join(dir, name), func(Record) error {
				n++
				return nil
			})
			out <- result{name: name, n: n, err: err}
		}()
	}
	counts := make(map[string]int, len(names))
	for range names {
		select {
		case r := <-out:
			if r.err != nil {
				return counts, r.err
			}
			counts[r.name] = r.n
		case <-ctx.Done():
			return counts, ctx.Err()
		}
	}
	return counts, nil
}
