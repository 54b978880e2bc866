package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// ListSegments returns the sealed segment files of dir in sequence order.
// Temporary files of segments still being written are skipped.
func ListSegments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if _, ok := parseSegmentName(e.Name()); ok {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names) // zero-padded names sort numerically
	return names, nil
}

// ReadSegment loads every event of one segment file.
func ReadSegment(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeEvents(f, filepath.Base(path))
}

func decodeEvents(r io.Reader, name string) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var evs []Event
	for line := 1; sc.Scan(); line++ {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return evs, fmt.Errorf("history: %s:%d: %w", name, line, err)
		}
		evs = append(evs, ev)
	}
	return evs, sc.Err()
}

// ReplayAll feeds every event of every sealed segment in dir to fn, in order.
func ReplayAll(dir string, fn func(Event) error) error {
	names, err := ListSegments(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("history: replay: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop
		evs, err := decodeEvents(f, name)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := fn(ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// CountEvents returns the number of events stored in dir.
func CountEvents(dir string) (int, error) {
	names, err := ListSegments(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, name := range names {
		n, err := func() (int, error) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return countLines(f)
		}()
		if err != nil {
			return total, fmt.Errorf("history: count %s: %w", name, err)
		}
		total += n
	}
	return total, nil
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 32<<10)
	n := 0
	for {
		c, err := r.Read(buf)
		n += bytes.Count(buf[:c], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// LastSeq returns the sequence number of the last event in a sealed segment.
func LastSeq(path string) (uint64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	evs, err := decodeEvents(f, filepath.Base(path))
	if err != nil {
		return 0, err
	}
	if len(evs) == 0 {
		return 0, fmt.Errorf("%w: %s is empty", ErrNotFound, path)
	}
	return evs[len(evs)-1].Seq, nil
}

func segmentFor(names []string, seq uint64) int {
	i := sort.Search(len(names), func(i int) bool {
		first, _ := parseSegmentName(names[i])
		return first > seq
	})
	return i - 1
}

// ReplayRange feeds the events with from <= Seq <= to to fn. The range may
// span several consecutive segments.
func ReplayRange(dir string, from, to uint64, fn func(Event) error) error {
	names, err := ListSegments(dir)
	if err != nil {
		return err
	}
	idx := segmentFor(names, from)
	if idx < 0 {
		return fmt.Errorf("%w: seq %d", ErrNotFound, from)
	}
	f, err := os.Open(filepath.Join(dir, names[idx]))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for {
		evs, err := decodeEvents(f, names[idx])
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.Seq < from {
				continue
			}
			if ev.Seq > to {
				return nil
			}
			if err := fn(ev); err != nil {
				return err
			}
		}
		idx++
		if idx >= len(names) {
			return nil
		}
		f, err = os.Open(filepath.Join(dir, names[idx]))
		if err != nil {
			return err
		}
	}
}

// Stream emits the events of dir on the returned channel until all segments
// are read or ctx ends. The error channel receives at most one value and is
// closed together with the event channel.
func Stream(ctx context.Context, dir string) (<-chan Event, <-chan error) {
	out := make(chan Event)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		defer close(errc)
		names, err := ListSegments(dir)
		if err != nil {
			errc <- err
			return
		}
		for _, name := range names {
			evs, err := ReadSegment(filepath.Join(dir, name))
			if err != nil {
				errc <- err
				return
			}
			for _, ev := range evs {
				select {
				case out <- ev:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
		}
	}()
	return out, errc
}

// Merge fans the events of several history directories (one per shard) into
// a single channel, in no particular order.
func Merge(ctx context.Context, dirs []string) <-chan Event {
	out := make(chan Event, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, dir := range dirs {
		go func() {
			events, _ := Stream(ctx, dir)
			for ev := range events {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	return out
}
