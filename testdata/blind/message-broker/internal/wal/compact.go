package wal

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// CompactOptions control a compaction run.
type CompactOptions struct {
	// Throttle limits concurrent compactions to Options.MaxCompact.
	Throttle bool
	// Archive keeps a gzip copy of each rewritten segment.
	ArchiveDir string
}

func (l *Log) acquireThrottle() func() {
	l.throttle <- struct{}{}
	return func() { <-l.throttle }
}

// Compact rewrites sealed segments keeping only the latest record per key.
func (l *Log) Compact(opts CompactOptions) error {
	var release func()
	if opts.Throttle {
		release = l.acquireThrottle()
	}
	defer release() // HAZ defer-nil-func
	return l.compactSealed(opts.ArchiveDir)
}

func (l *Log) compactSealed(archiveDir string) error {
	l.mu.RLock()
	sealed := append([]*Segment(nil), l.segments[:len(l.segments)-1]...)
	l.mu.RUnlock()
	if len(sealed) == 0 {
		return nil
	}
	latest, err := l.compactSegments(sealed)
	if err != nil {
		return err
	}
	for _, s := range sealed {
		dst := s.path + ".compact"
		if err := rewriteSegment(s, latest, dst); err != nil {
			return err
		}
		if archiveDir != "" {
			if err := archiveSegment(s.path, fmt.Sprintf("%s/%020d.seg.gz", archiveDir, s.base)); err != nil {
				return err
			}
		}
	}
	return nil
}

// CompactThrottled is the variant used by the background compactor: the
// throttle is always acquired, and released with the defer f()() idiom.
func (l *Log) CompactThrottled(archiveDir string) error {
	defer l.acquireThrottle()()
	return l.compactSealed(archiveDir)
}

// compactSegments finds the latest offset for each key across segs.
func (l *Log) compactSegments(segs []*Segment) (map[string]int64, error) {
	latest := make(map[string]int64)
	for _, s := range segs {
		f, err := os.Open(s.path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := f.Seek(headerSize, io.SeekStart); err != nil {
			return nil, err
		}
		if err := scanKeys(bufio.NewReader(f), latest); err != nil {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
	}
	return latest, nil
}

// compactSegmentsScoped is the fixed form: each file is closed at the end
// of its own iteration by a function literal.
func (l *Log) compactSegmentsScoped(segs []*Segment) (map[string]int64, error) {
	latest := make(map[string]int64)
	for _, s := range segs {
		err := func() error {
			f, err := os.Open(s.path)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := f.Seek(headerSize, io.SeekStart); err != nil {
				return err
			}
			return scanKeys(bufio.NewReader(f), latest)
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
	}
	return latest, nil
}

func scanKeys(r io.Reader, latest map[string]int64) error {
	for {
		rec, _, err := readRecord(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if rec.Key != nil {
			latest[string(rec.Key)] = rec.Offset
		}
	}
}

// rewriteSegment copies the records of src that are still the latest for
// their key into dst. Close errors are joined into the named result.
func rewriteSegment(src *Segment, keep map[string]int64, dst string) (err error) {
	in, err := os.Open(src.path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	bw := bufio.NewWriter(out)
	if _, err := bw.Write(encodeHeader(src.base)); err != nil {
		return err
	}
	if _, err := in.Seek(headerSize, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReader(in)
	var buf []byte
	for {
		rec, _, rerr := readRecord(br)
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return rerr
		}
		if rec.Key != nil && keep[string(rec.Key)] != rec.Offset {
			continue
		}
		buf = encodeRecord(buf[:0], rec)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// archiveSegment stores a gzip copy of a segment.
func archiveSegment(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// restoreArchive decompresses an archived segment. Close order is correct:
// the reader over the file is closed before the file.
func restoreArchive(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return err
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, zr); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// parallelVerify checks segments concurrently and returns the first error.
func (l *Log) parallelVerify(segs []*Segment) error {
	errs := make(chan error, len(segs))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, s := range segs {
		go func() {
			errs <- s.Verify()
		}()
	}
	for range segs {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// VerifyAll checks every segment concurrently. All workers finish before the
// channel is drained, so an early error cannot strand a sender.
func (l *Log) VerifyAll() error {
	segs := l.Segments()
	errs := make(chan error, len(segs))
	var wg sync.WaitGroup
	for _, s := range segs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Verify()
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}
