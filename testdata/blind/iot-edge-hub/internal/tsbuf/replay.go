package tsbuf

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Segments lists the segment files in dir, oldest first.
func Segments(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "seg-*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// ReadSegment decodes one segment file.
func ReadSegment(path string) ([]Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodePoints(f, path)
}

func decodePoints(r io.Reader, name string) ([]Point, error) {
	var pts []Point
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var p Point
		err := dec.Decode(&p)
		if err == io.EOF {
			return pts, nil
		}
		if err != nil {
			return pts, fmt.Errorf("%s: point %d: %w", name, len(pts)+1, err)
		}
		pts = append(pts, p)
	}
}

// Replay loads every segment in dir into the buffer, oldest first, after a
// restart with the uplink still down.
func (b *Buffer) Replay(dir string) (int, error) {
	names, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return n, err
		}
		defer f.Close() // HAZ defer-in-loop
		pts, err := decodePoints(f, name)
		if err != nil {
			return n, err
		}
		for _, p := range pts {
			b.Add(p)
		}
		n += len(pts)
	}
	return n, nil
}

// CountPoints counts the points stored in the given segment files.
func CountPoints(names []string) (int, error) {
	total := 0
	for _, name := range names {
		n, err := func() (int, error) {
			f, err := os.Open(name)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return countLines(f)
		}()
		if err != nil {
			return total, fmt.Errorf("%s: %w", name, err)
		}
		total += n
	}
	return total, nil
}

func countLines(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		if len(sc.Bytes()) > 0 {
			n++
		}
	}
	return n, sc.Err()
}

// MergeSegments concatenates segments a and b into dst so that two small
// batches travel as one upload.
func MergeSegments(dst, a, b string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()

	in, err := os.Open(a)
	if err != nil {
		return err
	}
	defer in.Close() // HAZ defer-eager-evaluation
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	in, err = os.Open(b)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return err
}

// CheckSegments decodes every segment and logs how long each one took.
func CheckSegments(names []string) error {
	var bad []error
	for _, name := range names {
		func() {
			start := time.Now()
			defer func() { log.Printf("tsbuf: checked %s in %v", filepath.Base(name), time.Since(start)) }()
			if _, err := ReadSegment(name); err != nil {
				bad = append(bad, err)
			}
		}()
	}
	return errors.Join(bad...)
}
