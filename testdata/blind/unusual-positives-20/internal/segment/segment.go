// Package segment reads the rotated log segments that tidepool archives.
//
// A segment is a plain text file named <stream>-<first sequence>.log; every
// line is one record and records are numbered consecutively from the first
// sequence number in the file name.
package segment

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Segment describes one rotated segment file.
type Segment struct {
	Name   string
	Path   string
	Stream string
	First  uint64
}

// Record is one line of a segment.
type Record struct {
	Stream string
	Seq    uint64
	Line   string
}

// Dir is a directory of segment files.
type Dir struct {
	root string
}

// NewDir returns a Dir reading segments below root.
func NewDir(root string) *Dir {
	return &Dir{root: filepath.Clean(root)}
}

// Root returns the directory the segments live in.
func (d *Dir) Root() string { return d.root }

// ParseName splits a segment file name such as "api-000123.log" into its
// stream and first sequence number.
func ParseName(name string) (stream string, first uint64, err error) {
	base, ok := strings.CutSuffix(name, ".log")
	if !ok {
		return "", 0, fmt.Errorf("segment: %q is not a .log file", name)
	}
	i := strings.LastIndexByte(base, '-')
	if i <= 0 || i == len(base)-1 {
		return "", 0, fmt.Errorf("segment: %q has no sequence suffix", name)
	}
	first, err = strconv.ParseUint(base[i+1:], 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("segment: %q: %w", name, err)
	}
	return base[:i], first, nil
}

// List returns the segments of the directory, ordered by stream and first
// sequence number. Files that are not segments are skipped.
func (d *Dir) List() ([]Segment, error) {
	ents, err := os.ReadDir(d.root)
	if err != nil {
		return nil, fmt.Errorf("segment: list %s: %w", d.root, err)
	}
	var segs []Segment
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		stream, first, err := ParseName(e.Name())
		if err != nil {
			continue
		}
		segs = append(segs, Segment{
			Name:   e.Name(),
			Path:   filepath.Join(d.root, e.Name()),
			Stream: stream,
			First:  first,
		})
	}
	sort.Slice(segs, func(i, j int) bool {
		if segs[i].Stream != segs[j].Stream {
			return segs[i].Stream < segs[j].Stream
		}
		return segs[i].First < segs[j].First
	})
	return segs, nil
}

// ReadAll returns every record of the segment.
func (s Segment) ReadAll() ([]Record, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	seq := s.First
	for sc.Scan() {
		recs = append(recs, Record{Stream: s.Stream, Seq: seq, Line: sc.Text()})
		seq++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("segment: read %s: %w", s.Name, err)
	}
	return recs, nil
}

// Tail returns the last line of each of the k newest segments, newest first.
func (d *Dir) Tail(k int) ([]string, error) {
	segs, err := d.List()
	if err != nil {
		return nil, err
	}
	k = min(k, len(segs))
	lines := make([]string, 0, k)
	for i := range k {
		seg := segs[len(segs)-1-i]
		f, err := os.Open(seg.Path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		last, err := lastLine(f)
		if err != nil {
			return nil, fmt.Errorf("segment: tail %s: %w", seg.Name, err)
		}
		lines = append(lines, last)
	}
	return lines, nil
}

// Heads returns the first line of each of the k oldest segments, oldest
// first. Every file is closed before the next one is opened.
func (d *Dir) Heads(k int) ([]string, error) {
	segs, err := d.List()
	if err != nil {
		return nil, err
	}
	k = min(k, len(segs))
	lines := make([]string, 0, k)
	for i := range k {
		line, err := func() (string, error) {
			f, err := os.Open(segs[i].Path)
			if err != nil {
				return "", err
			}
			defer f.Close()
			line, err := bufio.NewReader(f).ReadString('\n')
			if err != nil && err != io.EOF {
				return "", err
			}
			return strings.TrimSuffix(line, "\n"), nil
		}()
		if err != nil {
			return nil, fmt.Errorf("segment: head %s: %w", segs[i].Name, err)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// lastLine scans r and returns its final line.
func lastLine(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	last := ""
	for sc.Scan() {
		last = sc.Text()
	}
	return last, sc.Err()
}
