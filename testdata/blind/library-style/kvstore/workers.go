package kvstore

import (
	"fmt"
	"os"
	"sync"
)

// compactSegmentGuarded compacts one segment; a panic must not kill the compactor.
func (s *Store) compactSegmentGuarded(seg *segment) error {
	defer recover() // HAZ recover-ineffective
	return s.compactSegments([]*segment{seg})
}

// compactSegmentRecovering compacts one segment, converting a panic into an error.
func (s *Store) compactSegmentRecovering(seg *segment) (err error) {
	rec := func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kvstore: compaction of segment %d panicked: %v", seg.id, r)
		}
	}
	defer rec()
	return s.compactSegments([]*segment{seg})
}

// verifySegmentQuiet reads a segment to check it, ignoring decoder panics.
func (s *Store) verifySegmentQuiet(seg *segment) error {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	return s.loadSegmentInto(seg.path, make(map[string][]byte))
}

// writeSegmentAtomic writes mem to a temporary file and renames it over path;
// on a panic the temporary file is removed and the panic continues.
func (s *Store) writeSegmentAtomic(path string, mem map[string][]byte) error {
	tmp := path + ".partial"
	defer func() {
		if r := recover(); r != nil {
			os.Remove(tmp)
			panic(r)
		}
	}()
	if _, err := s.writeSegment(tmp, mem); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// recoverCompaction logs a compaction panic for seg.
func (s *Store) recoverCompaction(seg *segment) {
	if r := recover(); r != nil {
		s.logf("compaction of segment %d panicked: %v", seg.id, r)
	}
}

// CompactAll compacts every segment concurrently; a panic becomes an error.
func (s *Store) CompactAll() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kvstore: compaction panicked: %v", r)
		}
	}()
	v := s.view()
	defer v.Release()
	var wg sync.WaitGroup
	for _, seg := range v.segs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := s.compactSegments([]*segment{seg}); err != nil {
				s.logf("compaction of segment %d: %v", seg.id, err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// CompactAllSafe compacts every segment concurrently; each worker recovers
// its own panics.
func (s *Store) CompactAllSafe() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kvstore: compaction panicked: %v", r)
		}
	}()
	v := s.view()
	defer v.Release()
	var wg sync.WaitGroup
	for _, seg := range v.segs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverCompaction(seg)
			if err := s.compactSegments([]*segment{seg}); err != nil {
				s.logf("compaction of segment %d: %v", seg.id, err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// verifySegments reads every segment concurrently and returns one error per segment.
func (s *Store) verifySegments(segs []*segment) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(segs))
	for i, seg := range segs {
		wg.Add(1)
		go func() {
			f, err := os.Open(seg.path)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = readRecords(f, func(string, []byte) error { return nil })
			f.Close()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// verifySegmentsAll reads every segment concurrently and returns one error per segment.
func (s *Store) verifySegmentsAll(segs []*segment) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(segs))
	for i, seg := range segs {
		wg.Add(1)
		go func() {
			f, err := os.Open(seg.path)
			if err != nil {
				errs[i] = err
				wg.Done()
				return
			}
			errs[i] = readRecords(f, func(string, []byte) error { return nil })
			f.Close()
			wg.Done()
		}()
	}
	wg.Wait()
	return errs
}

// markCompacting sets the compacting flag for the duration of fn.
func (s *Store) markCompacting(fn func() error) error {
	if !s.compacting.CompareAndSwap(false, true) {
		return fmt.Errorf("kvstore: compaction already running")
	}
	defer func() {
		if !s.compacting.Load() {
			return
		}
		s.compacting.Store(false)
	}()
	return fn()
}
