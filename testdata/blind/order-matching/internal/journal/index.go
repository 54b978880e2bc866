package journal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// IndexEntry locates the first record of a segment.
type IndexEntry struct {
	Seq     uint64
	Segment string
	Records uint32
}

// WriteIndex writes the segment index used by fast lookups.
func WriteIndex(path string, entries []IndexEntry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := binary.Write(f, binary.LittleEndian, uint32(len(entries))); err != nil {
		return err
	}
	for _, e := range entries {
		if err := binary.Write(f, binary.LittleEndian, e.Seq); err != nil {
			return err
		}
		if err := binary.Write(f, binary.LittleEndian, e.Records); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(f, "%s\n", e.Segment); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndexAtomic is WriteIndex done properly: buffered, flushed, synced,
// closed with its error checked, then renamed over the old index.
func WriteIndexAtomic(path string, entries []IndexEntry) (err error) {
	defer logOutcome("write index "+path, &err)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	if err = binary.Write(bw, binary.LittleEndian, uint32(len(entries))); err != nil {
		return err
	}
	for _, e := range entries {
		if err = binary.Write(bw, binary.LittleEndian, e.Seq); err != nil {
			return err
		}
		if err = binary.Write(bw, binary.LittleEndian, e.Records); err != nil {
			return err
		}
		if _, err = bw.WriteString(e.Segment + "\n"); err != nil {
			return err
		}
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadIndex loads an index written by WriteIndex.
func ReadIndex(path string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var n uint32
	if err := binary.Read(br, binary.LittleEndian, &n); err != nil {
		return nil, err
	}
	entries := make([]IndexEntry, 0, n)
	for range n {
		var e IndexEntry
		if err := binary.Read(br, binary.LittleEndian, &e.Seq); err != nil {
			return nil, err
		}
		if err := binary.Read(br, binary.LittleEndian, &e.Records); err != nil {
			return nil, err
		}
		name, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("index entry %d: %w", len(entries), err)
		}
		e.Segment = strings.TrimSuffix(name, "\n")
		entries = append(entries, e)
	}
	return entries, nil
}

// BuildIndex scans every segment; each file is opened and closed inside its
// own function literal, so at most one is open at a time.
func BuildIndex(dir string) ([]IndexEntry, error) {
	names, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	entries := make([]IndexEntry, 0, len(names))
	for _, name := range names {
		e, err := func() (IndexEntry, error) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return IndexEntry{}, err
			}
			defer f.Close()
			first, _ := parseSegmentName(name)
			e := IndexEntry{Seq: first, Segment: name}
			br := bufio.NewReader(f)
			for {
				_, err := decodeRecord(br)
				if errors.Is(err, io.EOF) {
					return e, nil
				}
				if err != nil {
					return e, fmt.Errorf("%s: %w", name, err)
				}
				e.Records++
			}
		}()
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// logOutcome logs the final value of *errp; it is deferred with a pointer so
// it sees the error the function actually returns.
func logOutcome(what string, errp *error) {
	if *errp != nil {
		log.Printf("journal: %s: %v", what, *errp)
	}
}

func checkSegment(path string) error {
	return ReadSegment(path, func(Record) error { return nil })
}

// CompleteSegments verifies, in parallel, the segments that precede the first
// one still being written (a ".tmp" name), and returns the verified prefix.
func CompleteSegments(dir string, names []string) ([]string, error) {
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(names); i++ {
		if strings.HasSuffix(names[i], ".tmp") {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = checkSegment(filepath.Join(dir, names[i])) // HAZ loop-var-capture
		}()
	}
	wg.Wait()
	return names[:i], errors.Join(errs...)
}

// VerifyParallel checks every segment with one goroutine each; the loop
// declares its own variables, so each goroutine sees its own name.
func VerifyParallel(dir string) error {
	names, err := listSegments(dir)
	if err != nil {
		return err
	}
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = checkSegment(filepath.Join(dir, name))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
