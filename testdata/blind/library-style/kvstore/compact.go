package kvstore

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"time"
)

// Keys returns the memtable keys, sorted.
func (s *Store) Keys() []string {
	s.mu.RLock()
	keys := make([]string, 0, len(s.mem))
	for k := range s.mem {
		keys = append(keys, k)
	}
	s.mu.RUnlock()
	sort.Strings(keys)
	return keys
}

func (s *Store) loadFrom(r io.Reader) (int, error) {
	n := 0
	err := readRecords(r, func(k string, v []byte) error {
		s.mu.Lock()
		s.mem[k] = v
		s.mu.Unlock()
		n++
		return nil
	})
	return n, err
}

func (s *Store) writeSegment(path string, mem map[string][]byte) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	n, err = writeRecords(bw, mem)
	if err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

func (s *Store) mergeSegments(segs []*segment) (map[string][]byte, error) {
	merged := make(map[string][]byte)
	for _, seg := range segs {
		if err := s.loadSegmentInto(seg.path, merged); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

func (s *Store) loadSegmentInto(path string, dst map[string][]byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return readRecords(f, func(k string, v []byte) error {
		dst[k] = v
		return nil
	})
}

// compactSegments merges segs into one new segment.
func (s *Store) compactSegments(segs []*segment) error {
	merged, err := s.mergeSegments(segs)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.nextSeg++
	id := s.nextSeg
	s.mu.Unlock()
	n, err := s.writeSegment(s.segmentPath(id), merged)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.segments = append([]*segment(nil), &segment{id: id, path: s.segmentPath(id), keys: n})
	s.mu.Unlock()
	s.lastCompac.Store(time.Now().UnixNano())
	return nil
}

// loadSegments reads every segment file into one map.
func (s *Store) loadSegments(paths []string) (map[string][]byte, error) {
	out := make(map[string][]byte)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := readRecords(f, func(k string, v []byte) error {
			out[k] = v
			return nil
		}); err != nil {
			return nil, fmt.Errorf("kvstore: segment %s: %w", p, err)
		}
	}
	return out, nil
}

// loadSegmentsScoped reads every segment file into one map.
func (s *Store) loadSegmentsScoped(paths []string) (map[string][]byte, error) {
	out := make(map[string][]byte)
	for _, p := range paths {
		if err := s.loadSegmentInto(p, out); err != nil {
			return nil, fmt.Errorf("kvstore: segment %s: %w", p, err)
		}
	}
	return out, nil
}

// compactionLoop compacts on every tick for the life of the store.
func (s *Store) compactionLoop(ticker *time.Ticker) {
	for range ticker.C {
		v := s.view()
		defer v.Release() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		if len(v.segs) < s.opts.SegmentLimit {
			continue
		}
		if err := s.compactSegments(v.segs); err != nil {
			s.logf("compaction: %v", err)
		}
	}
}

// runCompactor compacts on every tick until the store is closed.
func (s *Store) runCompactor() {
	t := time.NewTicker(s.opts.CompactEvery)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			s.compactOnce()
		}
	}
}

// compactOnce compacts when there are too many segments.
func (s *Store) compactOnce() {
	v := s.view()
	defer v.Release()
	if len(v.segs) < s.opts.SegmentLimit {
		return
	}
	if err := s.compactSegments(v.segs); err != nil {
		s.logf("compaction: %v", err)
	}
}

// compactThrottled compacts and then pauses so compactions do not starve readers.
func (s *Store) compactThrottled() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer time.Sleep(s.opts.CompactionPause) // HAZ defer-blocking-call
	if s.compacting.Load() {
		return nil
	}
	merged := make(map[string][]byte, len(s.mem))
	for k, v := range s.mem {
		merged[k] = v
	}
	s.nextSeg++
	n, err := s.writeSegment(s.segmentPath(s.nextSeg), merged)
	if err != nil {
		return err
	}
	s.segments = append(s.segments, &segment{id: s.nextSeg, path: s.segmentPath(s.nextSeg), keys: n})
	return nil
}

// compactFlagged compacts unless another compaction is running.
func (s *Store) compactFlagged() error {
	if !s.compacting.CompareAndSwap(false, true) {
		return nil
	}
	defer s.compacting.Store(false)
	v := s.view()
	defer v.Release()
	return s.compactSegments(v.segs)
}

// Compact merges all segments into one.
func (s *Store) Compact() error {
	defer trace(s.logger, "compact") // HAZ defer-func-result-not-called
	v := s.view()
	defer v.Release()
	return s.compactSegments(v.segs)
}

// CompactTraced merges all segments into one and logs the duration.
func (s *Store) CompactTraced() error {
	defer trace(s.logger, "compact")()
	v := s.view()
	defer v.Release()
	return s.compactSegments(v.segs)
}

// CompactAndReport merges all segments and logs the resulting stats.
func (s *Store) CompactAndReport() error {
	defer s.Stats().Log(s.logger) // HAZ defer-call-chain
	v := s.view()
	defer v.Release()
	return s.compactSegments(v.segs)
}

// CompactLogged merges all segments and logs when it is done.
func (s *Store) CompactLogged() error {
	v := s.view()
	defer v.Release()
	defer s.logf("compaction of %d segments finished at %s", len(v.segs), time.Now().Format(time.RFC3339)) // HAZ defer-eager-evaluation
	return s.compactSegments(v.segs)
}

// CompactSegment rewrites one segment and logs which one it was.
func (s *Store) CompactSegment(seg *segment) error {
	defer s.logf("rewrote segment %d (%s)", seg.id, seg.path)
	return s.compactSegments([]*segment{seg})
}

// rewriteWithScratch rewrites seg through a scratch file that is removed afterwards.
func (s *Store) rewriteWithScratch(seg *segment) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	scratch, err := os.CreateTemp(s.dir, "scratch-*.dat")
	if err != nil {
		return err
	}
	scratchPath := scratch.Name()
	if err := scratch.Close(); err != nil {
		return err
	}
	cleanup = func() { os.Remove(scratchPath) }
	merged, err := s.mergeSegments([]*segment{seg})
	if err != nil {
		return err
	}
	if _, err := s.writeSegment(scratchPath, merged); err != nil {
		return err
	}
	return os.Rename(scratchPath, seg.path)
}

// rewriteWithScratchDeferred rewrites seg through a scratch file that is removed afterwards.
func (s *Store) rewriteWithScratchDeferred(seg *segment) error {
	scratch, err := os.CreateTemp(s.dir, "scratch-*.dat")
	if err != nil {
		return err
	}
	scratchPath := scratch.Name()
	defer os.Remove(scratchPath)
	if err := scratch.Close(); err != nil {
		return err
	}
	merged, err := s.mergeSegments([]*segment{seg})
	if err != nil {
		return err
	}
	if _, err := s.writeSegment(scratchPath, merged); err != nil {
		return err
	}
	return os.Rename(scratchPath, seg.path)
}

// ReadConsistent runs fn on a copy of the memtable, pinning segments if configured.
func (s *Store) ReadConsistent(fn func(map[string][]byte) error) error {
	var release func()
	if s.opts.PinSnapshots {
		release = s.pin()
	}
	defer release() // HAZ defer-nil-func
	s.mu.RLock()
	cp := make(map[string][]byte, len(s.mem))
	for k, v := range s.mem {
		cp[k] = v
	}
	s.mu.RUnlock()
	return fn(cp)
}

// CompactWithin compacts, giving up when the timeout expires.
func (s *Store) CompactWithin(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.compactFlagged() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Snapshot writes the memtable to path, replacing it atomically.
func (s *Store) Snapshot(path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	s.mu.RLock()
	_, err = writeRecords(f, s.mem)
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SnapshotDurable writes the memtable to path, replacing it atomically.
func (s *Store) SnapshotDurable(path string) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	s.mu.RLock()
	_, err = writeRecords(f, s.mem)
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ExportCompressed writes the memtable gzip-compressed to path.
func (s *Store) ExportCompressed(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err = writeRecords(zw, s.mem)
	return err
}

// DumpKeys writes one key per line to path.
func (s *Store) DumpKeys(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted
	for _, k := range s.Keys() {
		if _, err := fmt.Fprintln(bw, k); err != nil {
			return err
		}
	}
	return nil
}

// Backup writes every segment into a gzip-compressed tar archive at path.
func (s *Store) Backup(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	v := s.view()
	defer v.Release()
	for _, seg := range v.segs {
		if err := addFileToTar(tw, seg.path); err != nil {
			return err
		}
	}
	return nil
}

// BackupOrdered writes every segment into a gzip-compressed tar archive at path.
func (s *Store) BackupOrdered(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	v := s.view()
	defer v.Release()
	for _, seg := range v.segs {
		if err := addFileToTar(tw, seg.path); err != nil {
			return err
		}
	}
	return nil
}

// ExportToBuffer returns the memtable gzip-compressed in memory.
func (s *Store) ExportToBuffer() ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	s.mu.RLock()
	_, err := writeRecords(zw, s.mem)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addFileToTar(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// RestoreFrom loads a snapshot file into the memtable.
func (s *Store) RestoreFrom(path string) (n int, err error) {
	if s.opts.ReadOnly {
		return 0, ErrReadOnly
	}
	if f, err := os.Open(path); err == nil {
		defer func() { // HAZ defer-ineffective-return
			if cerr := f.Close(); cerr != nil {
				err = cerr
			}
		}()
		return s.loadFrom(f)
	}
	return 0, fmt.Errorf("kvstore: restore: cannot open %s", path)
}

// RestoreChecked loads a snapshot file into the memtable.
func (s *Store) RestoreChecked(path string) (n int, err error) {
	if s.opts.ReadOnly {
		return 0, ErrReadOnly
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("kvstore: restore: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return s.loadFrom(f)
}

// Maintain runs fn while holding the directory lock.
func (s *Store) Maintain(fn func(*Store) error) error {
	lock, err := acquireDirLock(s.dir)
	defer lock.Release() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return fn(s)
}

// MaintainChecked runs fn while holding the directory lock.
func (s *Store) MaintainChecked(fn func(*Store) error) (err error) {
	lock, err := acquireDirLock(s.dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lock.Release()) }()
	return fn(s)
}

// SnapshotPinned counts the keys held by a pinned view of the segments.
func (s *Store) SnapshotPinned() (int, error) {
	v := s.view()
	n, err := s.countSegmentKeys(v.segs)
	defer v.Release()
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (s *Store) countSegmentKeys(segs []*segment) (int, error) {
	n := 0
	for _, seg := range segs {
		if seg.keys < 0 {
			return 0, fmt.Errorf("kvstore: segment %d has a corrupt header", seg.id)
		}
		n += seg.keys
	}
	return n, nil
}

// RepairDir rewrites the store in dir while holding its LOCK file.
func RepairDir(dir string, opts Options) {
	lock, err := acquireDirLock(dir)
	if err != nil {
		log.Fatalf("kvstore: %v", err)
	}
	defer lock.Release()
	s, err := Open(dir, opts)
	if err != nil {
		log.Fatalf("kvstore: open %s: %v", dir, err) // HAZ exit-skips-defer
	}
	if err := s.Compact(); err != nil {
		log.Printf("kvstore: repair %s: %v", dir, err)
	}
}

// RepairDirOrPanic rewrites the store in dir while holding its LOCK file.
func RepairDirOrPanic(dir string, opts Options) {
	lock, err := acquireDirLock(dir)
	if err != nil {
		log.Fatalf("kvstore: %v", err)
	}
	defer lock.Release()
	s, err := Open(dir, opts)
	if err != nil {
		log.Panicf("kvstore: open %s: %v", dir, err)
	}
	if err := s.CompactTraced(); err != nil {
		log.Printf("kvstore: repair %s: %v", dir, err)
	}
}
