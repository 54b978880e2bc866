//go:build go1.23

package segment

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"os"
)

// Segments yields the segments of the directory in List order. A listing
// error ends the sequence; use List when the error matters.
func (d *Dir) Segments() iter.Seq[Segment] {
	return func(yield func(Segment) bool) {
		segs, err := d.List()
		if err != nil {
			return
		}
		for _, s := range segs {
			if !yield(s) {
				return
			}
		}
	}
}

// Lines yields the records of one segment. The file is opened read-only when
// iteration starts and closed when it stops, early or not.
func (s Segment) Lines() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		f, err := os.Open(s.Path)
		if err != nil {
			yield(Record{}, err)
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		seq := s.First
		for sc.Scan() {
			if !yield(Record{Stream: s.Stream, Seq: seq, Line: sc.Text()}, nil) {
				return
			}
			seq++
		}
		if err := sc.Err(); err != nil {
			yield(Record{}, fmt.Errorf("segment: read %s: %w", s.Name, err))
		}
	}
}

// Records yields every record of every segment, in List order.
func (d *Dir) Records() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for seg := range d.Segments() {
			f, err := os.Open(seg.Path)
			if err != nil {
				yield(Record{}, err)
				return
			}
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			seq := seg.First
			for sc.Scan() {
				if !yield(Record{Stream: seg.Stream, Seq: seq, Line: sc.Text()}, nil) {
					return
				}
				seq++
			}
			if err := sc.Err(); err != nil {
				yield(Record{}, fmt.Errorf("segment: read %s: %w", seg.Name, err))
				return
			}
		}
	}
}

// Stream yields the records of one stream. Each segment is read through
// Lines, so at most one file is open at a time.
func (d *Dir) Stream(stream string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for seg := range d.Segments() {
			if seg.Stream != stream {
				continue
			}
			for rec, err := range seg.Lines() {
				if !yield(rec, err) {
					return
				}
				if err != nil {
					return
				}
			}
		}
	}
}

// Checksums returns the CRC-32 of every segment, keyed by file name.
func (d *Dir) Checksums() (map[string]uint32, error) {
	sums := make(map[string]uint32)
	for seg := range d.Segments() {
		f, err := os.Open(seg.Path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := crc32.NewIEEE()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("segment: checksum %s: %w", seg.Name, err)
		}
		sums[seg.Name] = h.Sum32()
	}
	return sums, nil
}

// Verify compares the segments against previously recorded checksums and
// returns the names of those that differ or vanished.
func (d *Dir) Verify(want map[string]uint32) ([]string, error) {
	seen := make(map[string]bool, len(want))
	var bad []string
	for seg := range d.Segments() {
		sum, ok := want[seg.Name]
		if !ok {
			continue
		}
		seen[seg.Name] = true
		got, err := checksumFile(seg.Path)
		if err != nil {
			return nil, err
		}
		if got != sum {
			bad = append(bad, seg.Name)
		}
	}
	for name := range want {
		if !seen[name] {
			bad = append(bad, name)
		}
	}
	return bad, nil
}

// checksumFile returns the CRC-32 of one file.
func checksumFile(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, f); err != nil {
		return 0, fmt.Errorf("segment: checksum %s: %w", path, err)
	}
	return h.Sum32(), nil
}
