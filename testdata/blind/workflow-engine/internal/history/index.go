package history

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

type segmentRange struct {
	name        string
	first, last uint64
}

// Index maps sequence numbers to the sealed segment that holds them.
type Index struct {
	mu       sync.RWMutex
	segments []segmentRange // sorted by first
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{} }

// Add records a sealed segment.
func (ix *Index) Add(name string, first, last uint64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	i := sort.Search(len(ix.segments), func(i int) bool { return ix.segments[i].first >= first })
	ix.segments = append(ix.segments, segmentRange{})
	copy(ix.segments[i+1:], ix.segments[i:])
	ix.segments[i] = segmentRange{name: name, first: first, last: last}
}

// Lookup returns the segment holding seq.
func (ix *Index) Lookup(seq uint64) (string, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.lookupLocked(seq)
}

func (ix *Index) lookupLocked(seq uint64) (string, bool) {
	i := sort.Search(len(ix.segments), func(i int) bool { return ix.segments[i].last >= seq })
	if i == len(ix.segments) || ix.segments[i].first > seq {
		return "", false
	}
	return ix.segments[i].name, true
}

// Resolve maps every requested sequence number to its segment.
func (ix *Index) Resolve(seqs []uint64) (map[uint64]string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make(map[uint64]string, len(seqs))
	for _, s := range seqs {
		name, ok := ix.Lookup(s) // HAZ lock-reentry-under-defer
		if !ok {
			return nil, fmt.Errorf("%w: seq %d", ErrNotFound, s)
		}
		out[s] = name
	}
	return out, nil
}

// Segments lists all indexed segments in order.
func (ix *Index) Segments() []string {
	ix.mu.RLock()
	defer ix.mu.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, len(ix.segments))
	for i, r := range ix.segments {
		names[i] = r.name
	}
	return names
}

// Len is the number of indexed segments.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.segments)
}

func (ix *Index) snapshot() []segmentRange {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return append([]segmentRange(nil), ix.segments...)
}

// Merge adds every segment of other that ix does not know yet.
func (ix *Index) Merge(other *Index) {
	if other == ix {
		return
	}
	theirs := other.snapshot()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	have := make(map[string]bool, len(ix.segments))
	for _, r := range ix.segments {
		have[r.name] = true
	}
	for _, r := range theirs {
		if !have[r.name] {
			ix.segments = append(ix.segments, r)
		}
	}
	sort.Slice(ix.segments, func(i, j int) bool { return ix.segments[i].first < ix.segments[j].first })
}

// Save writes the index to path, one "first last name" line per segment,
// so that a restart can skip rescanning large directories.
func (ix *Index) Save(path string) (err error) {
	ranges := ix.snapshot()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, r := range ranges {
		if _, err := fmt.Fprintf(bw, "%d %d %s\n", r.first, r.last, r.name); err != nil {
			return err
		}
	}
	return nil
}

// Rebuild rescans dir and replaces the index contents. The directory is read
// without holding the lock; only the swap happens under it.
func (ix *Index) Rebuild(dir string) error {
	names, err := ListSegments(dir)
	if err != nil {
		return err
	}
	fresh := make([]segmentRange, 0, len(names))
	for _, name := range names {
		first, _ := parseSegmentName(name)
		last, err := LastSeq(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("history: index %s: %w", name, err)
		}
		fresh = append(fresh, segmentRange{name: name, first: first, last: last})
	}
	ix.mu.Lock()
	ix.segments = fresh
	ix.mu.Unlock()
	return nil
}
