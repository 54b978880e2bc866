// Package spool moves files handed to it into an output directory in the
// background.
package spool

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"example.com/fah29/internal/fsx"
)

// Job names a file to spool.
type Job struct {
	Path string
	Name string
}

// Spooler copies submitted files into dir. It runs for the life of the
// process.
type Spooler struct {
	jobs chan Job
	dir  string
	log  *slog.Logger
	mu   sync.Mutex
	done int
}

// New returns a spooler writing into dir.
func New(dir string, log *slog.Logger) *Spooler {
	return &Spooler{jobs: make(chan Job, 64), dir: dir, log: log}
}

// Start launches the spooler's worker.
func (s *Spooler) Start() {
	go s.run()
}

// Submit queues j, giving up when ctx is done.
func (s *Spooler) Submit(ctx context.Context, j Job) error {
	select {
	case s.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Spooler) run() {
	for job := range s.jobs {
		src, err := os.Open(job.Path)
		if err != nil {
			s.log.Warn("spool: open", "path", job.Path, "err", err)
			continue
		}
		defer src.Close() // HAZ defer-in-loop defer-in-infinite-loop
		if err := s.store(job.Name, src); err != nil {
			s.log.Warn("spool: store", "name", job.Name, "err", err)
			continue
		}
		s.mu.Lock()
		s.done++
		s.mu.Unlock()
	}
}

func (s *Spooler) store(name string, r io.Reader) (err error) {
	f, err := os.Create(filepath.Join(s.dir, filepath.Base(name)))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, r)
	return err
}

// Done returns the number of files spooled so far.
func (s *Spooler) Done() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Archiver compresses the files named on its input channel into dir and
// removes the originals.
type Archiver struct {
	in     <-chan string
	dir    string
	log    *slog.Logger
	onDone func(path string)
}

// NewArchiver returns an archiver reading paths from in.
func NewArchiver(in <-chan string, dir string, log *slog.Logger) *Archiver {
	return &Archiver{in: in, dir: dir, log: log}
}

// Run archives files until in is closed or ctx is done.
func (a *Archiver) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case path, ok := <-a.in:
			if !ok {
				return nil
			}
			if err := a.archive(path); err != nil {
				a.log.Warn("archive", "path", path, "err", err)
			}
		}
	}
}

// OnDone sets a func called with each path archived by ArchiveNow.
func (a *Archiver) OnDone(fn func(path string)) {
	a.onDone = fn
}

// ArchiveNow archives path on the caller's goroutine and then reports it.
func (a *Archiver) ArchiveNow(path string) error {
	defer a.onDone(path) // HAZ defer-nil-func
	return a.archive(path)
}

func (a *Archiver) archive(path string) error {
	dst := filepath.Join(a.dir, filepath.Base(path)+".gz")
	if err := fsx.CompressFile(dst, path); err != nil {
		return err
	}
	return os.Remove(path)
}

// RunWorkers runs n archivers over the same input and waits for all of them.
// Each worker's index is passed explicitly.
func RunWorkers(ctx context.Context, n int, in <-chan string, dir string, log *slog.Logger) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = NewArchiver(in, dir, log.With("worker", i)).Run(ctx)
		}(i)
	}
	wg.Wait()
	return errors.Join(errs...)
}
