package eventlog

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"os"
)

// ReadEvents yields the events of a log file. The file is opened when the
// iteration starts and closed when it ends, including on an early break.
func ReadEvents(path string) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(Event{}, err)
			return
		}
		defer f.Close()
		dec := json.NewDecoder(f)
		for {
			var ev Event
			if err := dec.Decode(&ev); err != nil {
				if !errors.Is(err, io.EOF) {
					yield(Event{}, err)
				}
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// AtLeast yields the events of seq whose level is at least min, and every
// error.
func AtLeast(seq iter.Seq2[Event, error], min Level) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for ev, err := range seq {
			if err != nil || ev.Level >= min {
				if !yield(ev, err) {
					return
				}
			}
		}
	}
}

// CountByLevel counts the events of a log file per level.
func CountByLevel(path string) (map[Level]int, error) {
	counts := make(map[Level]int)
	for ev, err := range ReadEvents(path) {
		if err != nil {
			return counts, err
		}
		counts[ev.Level]++
	}
	return counts, nil
}

// ExportGzip copies the events of src at or above min into a gzip file.
// The gzip writer is closed before the file it writes into (LIFO), and
// both close errors reach the caller.
func ExportGzip(src, dst string, min Level) (n int, err error) {
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()

	enc := json.NewEncoder(zw)
	for ev, rerr := range AtLeast(ReadEvents(src), min) {
		if rerr != nil {
			return n, rerr
		}
		if err := enc.Encode(ev); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Archive writes events into a gzip-compressed file at dst.
func Archive(dst string, events iter.Seq[Event]) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	enc := json.NewEncoder(zw)
	for ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return nil
}
