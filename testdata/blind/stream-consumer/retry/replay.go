package retry

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
	"strings"
)

// ReplayDir feeds every record of every segment in dir to produce, oldest
// segment first.
func ReplayDir(dir string, produce func(Record) error) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	total := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := replayReader(f, produce)
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return total, nil
}

// ReplaySegments replays the given segment files in order, closing each
// one before the next is opened.
func ReplaySegments(paths []string, produce func(Record) error) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return replayReader(f, produce)
		}()
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", p, err)
		}
	}
	return total, nil
}

func replayReader(r io.Reader, produce func(Record) error) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return n, fmt.Errorf("record %d: %w", n+1, err)
		}
		if err := produce(rec); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

// segmentReader iterates over the records of one segment.
type segmentReader struct {
	f   *os.File
	sc  *bufio.Scanner
	rec Record
	err error
}

func openSegment(path string) (*segmentReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &segmentReader{f: f, sc: sc}, nil
}

func (s *segmentReader) Next() bool {
	if s.err != nil || !s.sc.Scan() {
		return false
	}
	s.rec = Record{}
	s.err = json.Unmarshal(s.sc.Bytes(), &s.rec)
	return s.err == nil
}

func (s *segmentReader) Err() error {
	return errors.Join(s.err, s.sc.Err())
}

func (s *segmentReader) Close() error {
	return s.f.Close()
}

// CountSegment returns the number of records in a segment, for the admin
// endpoint's listing.
func CountSegment(path string) (int, error) {
	seg, err := openSegment(path)
	defer seg.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	n := 0
	for seg.Next() {
		n++
	}
	return n, seg.Err()
}

// FailedTopics returns how many records of a segment failed per topic.
func FailedTopics(path string) (map[string]int, error) {
	seg, err := openSegment(path)
	if err != nil {
		return nil, err
	}
	defer seg.Close()
	out := make(map[string]int)
	for seg.Next() {
		out[seg.rec.Topic]++
	}
	return out, seg.Err()
}

// Mirror copies every rotated segment into an archive directory as it
// appears. It runs for the life of the process.
func Mirror(events <-chan string, archiveDir string, logger *log.Logger) {
	for path := range events {
		src, err := os.Open(path)
		if err != nil {
			logger.Printf("mirror %s: %v", path, err)
			continue
		}
		defer src.Close() // HAZ defer-in-infinite-loop
		if err := copyInto(filepath.Join(archiveDir, filepath.Base(path)), src); err != nil {
			logger.Printf("mirror %s: %v", path, err)
		}
	}
}

func copyInto(dst string, src io.Reader) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, src)
	return err
}

// ReplayParallel replays the segments concurrently, one goroutine per
// segment, and returns the first error.
func ReplayParallel(paths []string, produce func(Record) error) (int, error) {
	type result struct {
		n   int
		err error
	}
	results := make(chan result, len(paths))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			n, err := ReplaySegments([]string{p}, produce)
			results <- result{n, err}
		}()
	}
	total := 0
	for range paths {
		r := <-results
		total += r.n
		if r.err != nil {
			return total, r.err
		}
	}
	return total, nil
}

// CountAll returns the number of records in all the given segments,
// reading them one after the other.
func CountAll(paths []string) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	seg, err := openSegment(paths[0])
	if err != nil {
		return 0, err
	}
	defer seg.Close() // HAZ defer-eager-evaluation
	total := 0
	for i := 1; ; i++ {
		for seg.Next() {
			total++
		}
		if err := seg.Err(); err != nil {
			return total, err
		}
		if i == len(paths) {
			return total, nil
		}
		if seg, err = openSegment(paths[i]); err != nil {
			return total, err
		}
	}
}
