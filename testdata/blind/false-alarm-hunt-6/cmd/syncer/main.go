// Command syncer mirrors a directory tree into another one, copying only
// files whose content changed, with a pool of copy workers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"example.com/falsealarm6/internal/fsutil"
	"example.com/falsealarm6/internal/progress"
	"example.com/falsealarm6/internal/state"
	"example.com/falsealarm6/internal/workpool"
)

type syncer struct {
	src, dst string
	workers  int
	dryRun   bool
	st       *state.Store
	counter  progress.Counter
	logger   *log.Logger

	mu     sync.Mutex
	copied []string
	errs   []error
}

func main() {
	src := flag.String("src", "", "source directory")
	dst := flag.String("dst", "", "destination directory")
	workers := flag.Int("j", 4, "parallel copies")
	statePath := flag.String("state", ".syncer.json", "state file")
	dryRun := flag.Bool("n", false, "dry run")
	flag.Parse()
	if *src == "" || *dst == "" {
		flag.Usage()
		os.Exit(2)
	}
	st, err := state.Open(*statePath)
	if err != nil {
		log.Fatalf("syncer: %v", err)
	}
	os.Exit(runSync(st, *src, *dst, *workers, *dryRun))
}

// runSync owns the signal context and the state save; both are cleaned up
// by defers before it returns the exit status.
func runSync(st *state.Store, src, dst string, workers int, dryRun bool) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := &syncer{src: src, dst: dst, workers: workers, dryRun: dryRun, st: st,
		logger: log.New(os.Stderr, "syncer: ", 0)}
	defer func() {
		if err := st.Save(); err != nil {
			s.logger.Printf("save state: %v", err)
		}
	}()
	files, err := s.list()
	if err != nil {
		s.logger.Print(err)
		return 1
	}
	s.counter.SetTotal(int64(len(files)))
	if err := s.syncAll(ctx, files); err != nil {
		s.logger.Print(err)
		return 1
	}
	s.logger.Printf("%d files copied", len(s.copied))
	return 0
}

// list returns the regular files below src, relative to it.
func (s *syncer) list() ([]string, error) {
	var files []string
	err := filepath.WalkDir(s.src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(s.src, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

// syncAll copies the changed files with s.workers goroutines.
func (s *syncer) syncAll(ctx context.Context, files []string) error {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < s.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rel := range jobs {
				if ctx.Err() != nil {
					s.fail(ctx.Err())
					wg.Done() // HAZ waitgroup-done-path
					return
				}
				s.syncOne(rel)
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	return s.err()
}

// syncPool is the workpool-based variant used with -pool; the pool joins
// its own workers in Close.
func (s *syncer) syncPool(ctx context.Context, files []string) error {
	p := workpool.New(ctx, s.workers)
	for _, rel := range files {
		p.Submit(func(context.Context) error {
			s.syncOne(rel)
			return nil
		})
	}
	return errors.Join(p.Close(), s.err())
}

func (s *syncer) syncOne(rel string) {
	from, to := filepath.Join(s.src, rel), filepath.Join(s.dst, rel)
	defer s.counter.Inc(0)
	changed, err := s.changed(from, rel)
	if err != nil {
		s.fail(err)
		return
	}
	if !changed || s.dryRun {
		return
	}
	if err := fsutil.EnsureDir(filepath.Dir(to)); err != nil {
		s.fail(err)
		return
	}
	if err := fsutil.CopyFile(to, from, 0o644); err != nil {
		s.fail(err)
		return
	}
	s.mu.Lock()
	s.copied = append(s.copied, rel)
	s.mu.Unlock()
}

// changed compares the modification time with the one recorded in state.
func (s *syncer) changed(path, rel string) (bool, error) {
	info, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	key := "mtime:" + rel
	if last, ok := s.st.Time(key); ok && !info.ModTime().After(last) {
		return false, nil
	}
	s.st.SetTime(key, info.ModTime())
	return true, nil
}

func (s *syncer) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, err)
}

func (s *syncer) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) > 10 {
		return fmt.Errorf("%w (and %d more errors)", errors.Join(s.errs[:10]...), len(s.errs)-10)
	}
	return errors.Join(s.errs...)
}

// elapsed formats how long the run took; the start time is a snapshot
// taken by the caller.
func elapsed(start time.Time) string {
	return time.Since(start).Round(time.Millisecond).String()
}
