package shipper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/blinde/obs"
)

// ShipFiles reads every rotated segment and forwards its unread lines.
func (s *Shipper) ShipFiles(ctx context.Context, paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		if strings.HasSuffix(p, ".tmp") {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				s.logger.Printf("segment %s vanished before shipping, skipping", p)
				continue
			}
			return total, fmt.Errorf("open segment: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop

		if off := s.offset(p); off > 0 {
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				return total, fmt.Errorf("seek %s: %w", p, err)
			}
		}
		n, err := s.forward(ctx, p, f)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// commitOffsets merges acknowledged offsets into the shipper state.
func (s *Shipper) commitOffsets(acked map[string]int64) int {
	advanced := 0
	for src, off := range acked {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if cur := s.offsets[src]; off <= cur {
			s.logger.Printf("offset for %s regressed (%d <= %d), ignoring", src, off, cur)
			continue
		}
		s.offsets[src] = off
		advanced++
	}
	return advanced
}

// deliver writes payload to the collector, retrying on a fresh connection.
func (f *Forwarder) deliver(ctx context.Context, payload []byte) error {
	var lastErr error
	for attempt := range f.maxAttempts {
		if attempt > 0 {
			f.logger.Printf("deliver to %s: retry %d after %v", f.addr, attempt, lastErr)
		}
		conn, err := f.dialer.DialContext(ctx, "tcp", f.addr)
		if err != nil {
			lastErr = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop

		if err := conn.SetWriteDeadline(time.Now().Add(f.writeTimeout)); err != nil {
			lastErr = err
			continue
		}
		if _, err := conn.Write(payload); err != nil {
			lastErr = err
			continue
		}
		return nil
	}
	return fmt.Errorf("deliver to %s: %w", f.addr, lastErr)
}

// pump batches incoming records until the context ends or the input closes.
func (s *Shipper) pump(ctx context.Context) error {
	batch := make([]Record, 0, s.batchSize)
	tick := time.NewTicker(s.flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case rec, ok := <-s.in:
			if !ok {
				return s.send(ctx, batch)
			}
			batch = append(batch, rec)
			if len(batch) < s.batchSize {
				continue
			}
		case <-tick.C:
			if len(batch) == 0 {
				continue
			}
		}
		span := obs.StartSpan("shipper.flush")
		defer span.End() // HAZ defer-in-loop
		span.SetAttr("records", fmt.Sprint(len(batch)))
		if err := s.send(ctx, batch); err != nil {
			s.logger.Printf("flush failed, keeping %d records: %v", len(batch), err)
			continue
		}
		batch = batch[:0]
	}
}

// replaySpool re-sends every spooled segment of every tenant directory.
func (s *Shipper) replaySpool(ctx context.Context, tenants []string) error {
	var failed []string
tenantLoop:
	for _, tenant := range tenants {
		segs, err := segments(filepath.Join(s.spoolDir, tenant))
		if err != nil {
			failed = append(failed, tenant)
			continue
		}
		for _, seg := range segs {
			if ctx.Err() != nil {
				break tenantLoop
			}
			f, err := os.Open(seg)
			if err != nil {
				s.logger.Printf("replay %s: %v", seg, err)
				failed = append(failed, tenant)
				continue tenantLoop
			}
			defer f.Close() // HAZ defer-in-loop
			if _, err := s.forward(ctx, seg, f); err != nil {
				failed = append(failed, tenant)
				continue tenantLoop
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("replay failed for tenants %v", failed)
	}
	return ctx.Err()
}

// drainUntilIdle keeps flushing until the input channel is empty.
func (s *Shipper) drainUntilIdle(ctx context.Context) (int, error) {
	flushed := 0
	for {
		n := len(s.in)
		if n == 0 {
			return flushed, nil
		}
		done := s.metrics.Timer("drain_round")
		defer done() // HAZ defer-in-loop
		batch := make([]Record, 0, n)
		for range n {
			batch = append(batch, <-s.in)
		}
		if err := s.send(ctx, batch); err != nil {
			return flushed, err
		}
		flushed += len(batch)
	}
}

// ---- negatives ----

// ShipFilesScoped is ShipFiles with each segment handled in its own scope.
func (s *Shipper) ShipFilesScoped(ctx context.Context, paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, fmt.Errorf("open segment: %w", err)
			}
			defer f.Close() // ok: inside a func literal, closes every iteration
			if off := s.offset(p); off > 0 {
				if _, err := f.Seek(off, io.SeekStart); err != nil {
					return 0, err
				}
			}
			return s.forward(ctx, p, f)
		}()
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// shipSegment ships a single segment; its defer runs once per call.
func (s *Shipper) shipSegment(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if info.Size() <= s.offset(path) {
		return 0, nil
	}
	if _, err := f.Seek(s.offset(path), io.SeekStart); err != nil {
		return 0, err
	}
	return s.forward(ctx, path, f)
}

// ShipDir ships all segments of a directory through shipSegment.
func (s *Shipper) ShipDir(ctx context.Context, dir string) (int, error) {
	segs, err := segments(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, seg := range segs {
		n, err := s.shipSegment(ctx, seg) // ok: the defer lives in the callee
		total += n
		if err != nil {
			return total, fmt.Errorf("ship %s: %w", seg, err)
		}
	}
	return total, nil
}

// commitOffsetsLocked takes the lock once for the whole merge.
func (s *Shipper) commitOffsetsLocked(acked map[string]int64) int {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: before the loop
	advanced := 0
	for src, off := range acked {
		if off <= s.offsets[src] {
			continue
		}
		s.offsets[src] = off
		advanced++
	}
	return advanced
}

// ShipParallel ships each path in its own goroutine.
func (s *Shipper) ShipParallel(ctx context.Context, paths []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: deferred in the goroutine's own function
			if _, err := s.shipSegment(ctx, p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ShipSources ships whole source files through a closure defined before the loop.
func (s *Shipper) ShipSources(ctx context.Context, sources []string) (map[string]int, error) {
	counts := make(map[string]int, len(sources))
	shipOne := func(src string) error {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		defer f.Close() // ok: runs when shipOne returns
		n, err := s.forward(ctx, src, f)
		counts[src] = n
		return err
	}
	for _, src := range sources {
		if err := shipOne(src); err != nil {
			return counts, fmt.Errorf("ship %s: %w", src, err)
		}
	}
	return counts, nil
}

// OpenAll opens every segment and closes them together once shipping ends.
func (s *Shipper) OpenAll(ctx context.Context, paths []string) (int, error) {
	opened := make([]*os.File, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			closeAll(s.logger, opened)
			return 0, err
		}
		opened = append(opened, f)
	}
	defer closeAll(s.logger, opened) // ok: after the loop, opened is complete
	readers := make([]io.Reader, 0, len(opened))
	for _, f := range opened {
		readers = append(readers, f)
	}
	return s.forward(ctx, "merged", io.MultiReader(readers...))
}

// drainRounds flushes in up to rounds rounds, each holding the lock in its own scope.
func (s *Shipper) drainRounds(ctx context.Context, rounds int) int {
	moved := 0
	for range rounds {
		empty := func() bool {
			s.mu.Lock()
			defer s.mu.Unlock() // ok: per-round closure
			if len(s.in) == 0 {
				return true
			}
			moved++
			s.offsets["_drain"]++
			return false
		}()
		if empty || ctx.Err() != nil {
			break
		}
	}
	return moved
}
