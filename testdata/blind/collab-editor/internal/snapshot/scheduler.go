package snapshot

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
)

// Scheduler snapshots documents that changed since their last snapshot,
// periodically and on demand.
type Scheduler struct {
	store   *doc.Store
	w       *Writer
	every   time.Duration
	workers int
	logf    func(format string, args ...any)

	mu    sync.Mutex
	saved map[string]uint64 // version of the newest snapshot on disk

	paused    atomic.Int32
	successes atomic.Int64
	failures  atomic.Int64
}

// NewScheduler returns a scheduler writing through w every interval.
func NewScheduler(store *doc.Store, w *Writer, every time.Duration, workers int) *Scheduler {
	if workers < 1 {
		workers = 1
	}
	return &Scheduler{
		store:   store,
		w:       w,
		every:   every,
		workers: workers,
		logf:    log.Printf,
		saved:   make(map[string]uint64),
	}
}

// Counts returns how many snapshots succeeded and failed so far.
func (s *Scheduler) Counts() (ok, failed int64) {
	return s.successes.Load(), s.failures.Load()
}

// Run snapshots dirty documents every interval until ctx is done.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if s.paused.Load() > 0 {
				continue
			}
			if err := s.flushAll(); err != nil {
				s.logf("snapshot: periodic flush: %v", err)
			}
		}
	}
}

// dirty returns snapshots of the documents changed since their last snapshot.
func (s *Scheduler) dirty() []doc.Snapshot {
	docs := s.store.Documents()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []doc.Snapshot
	for _, d := range docs {
		snap := d.Snapshot()
		if saved, ok := s.saved[snap.ID]; ok && saved >= snap.Version {
			continue
		}
		out = append(out, snap)
	}
	return out
}

// markClean records that version of id is on disk.
func (s *Scheduler) markClean(id string, version uint64) {
	s.mu.Lock()
	if version > s.saved[id] {
		s.saved[id] = version
	}
	s.mu.Unlock()
}

// flushAll writes every dirty document with a bounded pool of workers.
func (s *Scheduler) flushAll() error {
	snaps := s.dirty()
	if len(snaps) == 0 {
		return nil
	}
	jobs := make(chan doc.Snapshot)
	errc := make(chan error, len(snaps))
	var wg sync.WaitGroup
	for i := 0; i < min(s.workers, len(snaps)); i++ {
		wg.Add(1)
		go s.flushWorker(&wg, jobs, errc)
	}
	for _, snap := range snaps {
		jobs <- snap
	}
	close(jobs)
	wg.Wait()
	close(errc)

	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// flushWorker writes the snapshots it receives on jobs.
func (s *Scheduler) flushWorker(wg *sync.WaitGroup, jobs <-chan doc.Snapshot, errc chan<- error) {
	defer wg.Done()
	for snap := range jobs {
		if err := s.w.Write(snap); err != nil {
			s.failures.Add(1)
			errc <- fmt.Errorf("%s@%d: %w", snap.ID, snap.Version, err)
			continue
		}
		s.successes.Add(1)
		s.markClean(snap.ID, snap.Version)
	}
}

// FlushNow snapshots every dirty document concurrently, giving up when ctx
// expires. It is called once on shutdown.
func (s *Scheduler) FlushNow(ctx context.Context) error {
	snaps := s.dirty()
	errc := make(chan error, len(snaps))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, snap := range snaps {
		go func(snap doc.Snapshot) {
			err := s.w.Write(snap)
			if err == nil {
				s.markClean(snap.ID, snap.Version)
			}
			errc <- err
		}(snap)
	}
	var errs []error
	for range snaps {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-ctx.Done():
			return errors.Join(append(errs, ctx.Err())...)
		}
	}
	return errors.Join(errs...)
}

// SnapshotDoc writes a snapshot of one document now.
func (s *Scheduler) SnapshotDoc(id string) error {
	var err error
	defer s.report(id, err) // HAZ defer-eager-evaluation
	d, ok := s.store.Get(id)
	if !ok {
		err = fmt.Errorf("%w: %s", doc.ErrNotFound, id)
		return err
	}
	snap := d.Snapshot()
	if err = s.w.Write(snap); err != nil {
		return err
	}
	s.markClean(id, snap.Version)
	return nil
}

// report logs and counts the outcome of one on-demand snapshot.
func (s *Scheduler) report(id string, err error) {
	if err != nil {
		s.failures.Add(1)
		s.logf("snapshot %s failed: %v", id, err)
		return
	}
	s.successes.Add(1)
	s.logf("snapshot %s written", id)
}

// PruneTemp removes temp files older than maxAge left behind by crashed
// writes, and returns how many it removed.
func (s *Scheduler) PruneTemp(maxAge time.Duration) int {
	entries, err := os.ReadDir(s.w.Dir())
	if err != nil {
		s.logf("snapshot: prune: %v", err)
		return 0
	}
	cutoff := time.Now().Add(-maxAge)
	var (
		wg      sync.WaitGroup
		removed atomic.Int32
	)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !strings.HasSuffix(e.Name(), ".tmp") || info.ModTime().After(cutoff) {
			continue
		}
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			if err := os.Remove(filepath.Join(s.w.Dir(), name)); err != nil {
				s.logf("snapshot: prune %s: %v", name, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			removed.Add(1)
		}(e.Name())
	}
	wg.Wait()
	return int(removed.Load())
}

// pause stops periodic flushes until the returned function is called.
func (s *Scheduler) pause() (resume func()) {
	s.paused.Add(1)
	return func() { s.paused.Add(-1) }
}

// SnapshotSet writes snapshots of ids with periodic flushes paused, so the
// set is written once and in order.
func (s *Scheduler) SnapshotSet(ids []string) error {
	defer s.pause()()
	var errs []error
	for _, id := range ids {
		d, ok := s.store.Get(id)
		if !ok {
			errs = append(errs, fmt.Errorf("%w: %s", doc.ErrNotFound, id))
			continue
		}
		snap := d.Snapshot()
		if err := s.w.Write(snap); err != nil {
			errs = append(errs, err)
			continue
		}
		s.markClean(id, snap.Version)
	}
	return errors.Join(errs...)
}

// WriteSet is SnapshotSet with an option to run alongside periodic flushes.
func (s *Scheduler) WriteSet(ids []string, exclusive bool) error {
	var resume func()
	if exclusive {
		resume = s.pause()
	}
	defer resume() // HAZ defer-nil-func
	var errs []error
	for _, id := range ids {
		if d, ok := s.store.Get(id); ok {
			if err := s.w.Write(d.Snapshot()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// CompactAll trims every document's log to keep entries; periodic
// snapshots are paused meanwhile.
func (s *Scheduler) CompactAll(keep int) int {
	defer s.pause() // HAZ defer-func-result-not-called
	n := 0
	for _, d := range s.store.Documents() {
		n += d.CompactLog(keep)
	}
	return n
}

// RunGuarded runs the scheduler and the temp-file pruner, logging a panic
// of the scheduler instead of crashing the server.
func (s *Scheduler) RunGuarded(ctx context.Context, pruneEvery time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("snapshot: scheduler panic: %v", r)
		}
	}()
	go s.pruneLoop(ctx, pruneEvery) // HAZ goroutine-outside-recover
	if err := s.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.logf("snapshot: scheduler: %v", err)
	}
}

// pruneLoop removes stale temp files every interval until ctx is done.
func (s *Scheduler) pruneLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := s.PruneTemp(every); n > 0 {
				s.logf("snapshot: pruned %d temp files", n)
			}
		}
	}
}
