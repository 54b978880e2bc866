package wal

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// SegmentRef names a segment file on disk.
type SegmentRef struct {
	Name  string
	Index int
}

// SegmentName returns the path of segment k in dir.
func SegmentName(dir string, k int) string {
	return filepath.Join(dir, fmt.Sprintf("%08d", k))
}

// ListSegments returns the segment files of dir in index order.
func ListSegments(dir string) ([]SegmentRef, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var refs []SegmentRef
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		k, err := strconv.Atoi(e.Name())
		if err != nil {
			continue // checkpoint dirs, temp files
		}
		refs = append(refs, SegmentRef{Name: e.Name(), Index: k})
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Index < refs[j].Index })
	for i := 1; i < len(refs); i++ {
		if refs[i].Index != refs[i-1].Index+1 {
			return nil, fmt.Errorf("wal: segments not sequential: %s after %s", refs[i].Name, refs[i-1].Name)
		}
	}
	return refs, nil
}

// Segment is a segment file opened for appending.
type Segment struct {
	*os.File
	dir string
	i   int
}

// Index returns the segment number.
func (s *Segment) Index() int { return s.i }

// CreateSegment opens segment k of dir for appending, creating it if needed.
func CreateSegment(dir string, k int) (*Segment, error) {
	f, err := os.OpenFile(SegmentName(dir, k), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return nil, err
	}
	return &Segment{File: f, dir: dir, i: k}, nil
}
