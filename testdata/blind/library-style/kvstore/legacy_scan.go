//go:build go1.21

package kvstore

import (
	"fmt"
	"os"
	"sync"
)

// checkSegmentsParallel verifies every segment in parallel and counts failures.
func (s *Store) checkSegmentsParallel(segs []*segment) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	started := 0
	for _, seg := range segs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.loadSegmentInto(seg.path, make(map[string][]byte)); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	s.logf("checked %d segments, %d failed", started, failed)
	return failed
}

// checkSegmentsBound verifies every segment in parallel and counts failures.
func (s *Store) checkSegmentsBound(segs []*segment) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for _, seg := range segs {
		wg.Add(1)
		go func(seg *segment) {
			defer wg.Done()
			if err := s.loadSegmentInto(seg.path, make(map[string][]byte)); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}(seg)
	}
	wg.Wait()
	return failed
}

// mergeScratchFiles merges scratch files into the memtable, removing each
// scratch file once it has been merged.
func (s *Store) mergeScratchFiles(paths []string) error {
	for _, p := range paths {
		defer func() { // HAZ loop-var-capture // HAZ defer-in-loop
			os.Remove(p)
		}()
		if err := s.loadSegmentInto(p, s.mem); err != nil {
			return fmt.Errorf("kvstore: scratch %s: %w", p, err)
		}
	}
	return nil
}

// mergeScratchFilesArg merges scratch files into the memtable, removing each
// scratch file once it has been merged.
func (s *Store) mergeScratchFilesArg(paths []string) error {
	for _, p := range paths {
		defer os.Remove(p) // HAZ defer-in-loop
		if err := s.loadSegmentInto(p, s.mem); err != nil {
			return fmt.Errorf("kvstore: scratch %s: %w", p, err)
		}
	}
	return nil
}

// prefetchSegments warms the OS page cache for each segment in the background.
func (s *Store) prefetchSegments(segs []*segment) {
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		go func() {
			if err := s.loadSegmentInto(seg.path, make(map[string][]byte)); err != nil {
				s.logf("prefetch segment %d: %v", seg.id, err)
			}
		}()
	}
}

// prefetchSegmentsIndexed warms the OS page cache for each segment in the background.
func (s *Store) prefetchSegmentsIndexed(segs []*segment) {
	for i := 0; i < len(segs); i++ {
		go func() { // HAZ loop-var-capture
			seg := segs[i]
			if err := s.loadSegmentInto(seg.path, make(map[string][]byte)); err != nil {
				s.logf("prefetch segment %d: %v", seg.id, err)
			}
		}()
		s.logf("prefetch %d/%d scheduled", i+1, len(segs))
	}
}
