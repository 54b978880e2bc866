// Package syncer mirrors one directory tree into another, copying files
// that are new or changed and optionally pruning files that went away.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options controls a sync.
type Options struct {
	Delete   bool // remove destination files missing from the source
	DryRun   bool // only log what would change
	Checksum bool // compare contents, not size and mtime
	Workers  int
	Logger   *log.Logger
}

// Entry describes one regular file relative to a root.
type Entry struct {
	Rel     string      `json:"rel"`
	Size    int64       `json:"size"`
	Mode    fs.FileMode `json:"mode"`
	ModTime time.Time   `json:"mtime"`
}

// Stats counts what a sync did.
type Stats struct {
	Copied, Appended, Skipped, Deleted int
	Bytes                              int64
}

func (s Stats) String() string {
	return fmt.Sprintf("copied=%d appended=%d skipped=%d deleted=%d bytes=%d",
		s.Copied, s.Appended, s.Skipped, s.Deleted, s.Bytes)
}

// Syncer mirrors src into dst.
type Syncer struct {
	src, dst string
	opt      Options
	state    *State

	mu    sync.Mutex
	stats Stats
}

// New returns a Syncer. Workers defaults to 4.
func New(src, dst string, opt Options) *Syncer {
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	if opt.Logger == nil {
		opt.Logger = log.New(io.Discard, "", 0)
	}
	return &Syncer{src: src, dst: dst, opt: opt, state: NewState()}
}

// State returns the syncer's record of the last pass.
func (s *Syncer) State() *State { return s.state }

// Stats returns a copy of the counters.
func (s *Syncer) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Syncer) add(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

func (s *Syncer) logf(format string, args ...any) { s.opt.Logger.Printf(format, args...) }

// Scan lists the regular files under root, sorted by path.
func Scan(root string) ([]Entry, error) {
	var out []Entry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, Entry{Rel: filepath.ToSlash(rel), Size: info.Size(), Mode: info.Mode().Perm(), ModTime: info.ModTime()})
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Rel, b.Rel) })
	return out, err
}

type action int

const (
	actCopy action = iota
	actAppend
)

type job struct {
	e    Entry
	act  action
	from int64 // for actAppend: destination size
}

// plan compares the listings and returns the jobs to run and the
// destination entries to delete.
func plan(src, dst []Entry) (jobs []job, del []Entry) {
	have := make(map[string]Entry, len(dst))
	for _, e := range dst {
		have[e.Rel] = e
	}
	for _, e := range src {
		d, ok := have[e.Rel]
		delete(have, e.Rel)
		switch {
		case !ok:
			jobs = append(jobs, job{e: e, act: actCopy})
		case d.Size == e.Size && d.ModTime.Equal(e.ModTime):
			// unchanged
		case strings.HasSuffix(e.Rel, ".log") && d.Size < e.Size:
			jobs = append(jobs, job{e: e, act: actAppend, from: d.Size})
		default:
			jobs = append(jobs, job{e: e, act: actCopy})
		}
	}
	for _, d := range have {
		del = append(del, d)
	}
	slices.SortFunc(del, func(a, b Entry) int { return strings.Compare(a.Rel, b.Rel) })
	return jobs, del
}

// Run performs one sync pass.
func (s *Syncer) Run(ctx context.Context) error {
	srcList, err := Scan(s.src)
	if err != nil {
		return fmt.Errorf("scan %s: %w", s.src, err)
	}
	if err := os.MkdirAll(s.dst, 0o755); err != nil {
		return err
	}
	dstList, err := Scan(s.dst)
	if err != nil {
		return fmt.Errorf("scan %s: %w", s.dst, err)
	}
	jobs, del := plan(srcList, dstList)
	if s.opt.Checksum {
		if jobs, err = s.dropIdentical(jobs); err != nil {
			return err
		}
	}
	s.add(func(st *Stats) { st.Skipped += len(srcList) - len(jobs) })
	if s.opt.DryRun {
		for _, j := range jobs {
			s.logf("would copy %s", j.e.Rel)
		}
		for _, d := range del {
			s.logf("would delete %s", d.Rel)
		}
		return nil
	}
	if err := s.runJobs(ctx, jobs); err != nil {
		return err
	}
	if err := s.restoreTimes(jobs); err != nil {
		return err
	}
	if s.opt.Delete {
		for _, d := range del {
			if err := os.Remove(filepath.Join(s.dst, filepath.FromSlash(d.Rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			s.add(func(st *Stats) { st.Deleted++ })
		}
	}
	s.state.Update(srcList)
	return nil
}

// runJobs copies with a fixed pool of workers and returns the first error.
func (s *Syncer) runJobs(ctx context.Context, jobs []job) error {
	ch := make(chan job)
	errc := make(chan error, s.opt.Workers)
	var wg sync.WaitGroup
	for range s.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				if err := s.runJob(j); err != nil {
					errc <- err // ok: each worker sends at most once, and errc holds Workers values
					return
				}
			}
		}()
	}
	var err error
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case err = <-errc:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(ch)
	wg.Wait()
	close(errc)
	if err != nil {
		return err
	}
	return <-errc
}

func (s *Syncer) runJob(j job) error {
	src := filepath.Join(s.src, filepath.FromSlash(j.e.Rel))
	dst := filepath.Join(s.dst, filepath.FromSlash(j.e.Rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	switch j.act {
	case actAppend:
		if err := appendTail(dst, src, j.from); err != nil {
			return fmt.Errorf("append %s: %w", j.e.Rel, err)
		}
		s.add(func(st *Stats) { st.Appended++; st.Bytes += j.e.Size - j.from })
	default:
		if err := copyFile(dst, src, j.e.Mode); err != nil {
			return fmt.Errorf("copy %s: %w", j.e.Rel, err)
		}
		s.add(func(st *Stats) { st.Copied++; st.Bytes += j.e.Size })
	}
	return nil
}

// restoreTimes copies the source modification times onto the copied files
// so the next pass sees them as unchanged.
func (s *Syncer) restoreTimes(jobs []job) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			dst := filepath.Join(s.dst, filepath.FromSlash(j.e.Rel))
			if err := os.Chtimes(dst, j.e.ModTime, j.e.ModTime); err != nil {
				errs <- fmt.Errorf("chtimes %s: %w", j.e.Rel, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
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

// Prune removes destination files that are not in the source.
func (s *Syncer) Prune(ctx context.Context) error {
	defer s.logf("prune finished at %s", time.Now().Format(time.TimeOnly)) // HAZ defer-eager-evaluation
	srcList, err := Scan(s.src)
	if err != nil {
		return err
	}
	dstList, err := Scan(s.dst)
	if err != nil {
		return err
	}
	_, del := plan(srcList, dstList)
	for _, d := range del {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := os.Remove(filepath.Join(s.dst, filepath.FromSlash(d.Rel))); err != nil {
			return err
		}
		s.add(func(st *Stats) { st.Deleted++ })
	}
	return nil
}

// RunWithState runs a pass and saves the state file afterwards.
func (s *Syncer) RunWithState(ctx context.Context, statePath string) error {
	defer s.state.Snapshot().WriteFile(statePath) // HAZ defer-call-chain
	return s.Run(ctx)
}

// RunAndSave runs a pass and then saves the state it produced.
func (s *Syncer) RunAndSave(ctx context.Context, statePath string) (err error) {
	defer func() {
		if err == nil {
			err = s.state.Snapshot().WriteFile(statePath) // ok: snapshot taken at exit
		}
	}()
	return s.Run(ctx)
}

// RunReported runs a pass and logs the counters when it ends.
func (s *Syncer) RunReported(ctx context.Context) error {
	defer func() { s.logf("sync done: %s", s.Stats()) }() // ok: Stats read at exit
	return s.Run(ctx)
}
