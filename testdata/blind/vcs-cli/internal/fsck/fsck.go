// Package fsck verifies the integrity of a repository's objects and packs.
package fsck

import (
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
	"example.com/vcscli/internal/progress"
)

// Problem is one integrity failure.
type Problem struct {
	Path string
	Err  error
}

func (p Problem) String() string { return fmt.Sprintf("%s: %v", p.Path, p.Err) }

// Checker accumulates problems found by the checks.
type Checker struct {
	objects string
	workers int
	logger  *log.Logger
	meter   *progress.Meter

	mu       sync.Mutex
	problems []Problem
	checked  int
}

// New returns a checker for the loose objects below objectsDir.
func New(objectsDir string, workers int, meter *progress.Meter, logger *log.Logger) *Checker {
	if workers < 1 {
		workers = 4
	}
	return &Checker{objects: objectsDir, workers: workers, meter: meter, logger: logger}
}

func (c *Checker) report(p Problem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = append(c.problems, p)
}

func (c *Checker) count() {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
}

// Problems returns what was found, sorted by path.
func (c *Checker) Problems() []Problem {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]Problem(nil), c.problems...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// idFromPath recovers the object id from "<objects>/ab/cdef...".
func idFromPath(p string) (object.ID, error) {
	return object.ParseID(filepath.Base(filepath.Dir(p)) + filepath.Base(p))
}

// checkFile inflates one loose object and checks that it hashes to its name.
func (c *Checker) checkFile(p string) error {
	want, err := idFromPath(p)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	kind, data, err := object.SplitHeader(raw)
	if err != nil {
		return err
	}
	if object.Hash(kind, data) != want {
		return object.ErrCorrupt
	}
	return nil
}

// LoosePaths lists the loose object files.
func (c *Checker) LoosePaths() ([]string, error) {
	var out []string
	err := filepath.WalkDir(c.objects, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && len(filepath.Base(filepath.Dir(p))) == 2 {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// CheckLoose checks paths one after the other.
func (c *Checker) CheckLoose(paths []string) {
	for _, p := range paths {
		want, err := idFromPath(p)
		if err != nil {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			c.report(Problem{p, err})
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		zr, err := zlib.NewReader(f)
		if err != nil {
			c.report(Problem{p, err})
			continue
		}
		raw, err := io.ReadAll(zr)
		zr.Close()
		if err != nil {
			c.report(Problem{p, err})
			continue
		}
		if kind, data, err := object.SplitHeader(raw); err != nil || object.Hash(kind, data) != want {
			c.report(Problem{p, object.ErrCorrupt})
		}
		c.count()
	}
}

// CheckParallel checks paths with c.workers goroutines.
func (c *Checker) CheckParallel(ctx context.Context, paths []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < c.workers; i++ {
		wg.Add(1)
		go func() {
			for p := range work {
				if ctx.Err() != nil {
					return
				}
				if err := c.checkFile(p); err != nil {
					c.report(Problem{p, err})
				}
				c.count()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
}

// CheckWorkers is CheckParallel with the worker accounting deferred and the
// feeder aware of cancellation.
func (c *Checker) CheckWorkers(ctx context.Context, paths []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < c.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := c.checkFile(p); err != nil {
					c.report(Problem{p, err})
				}
				c.count()
			}
		}()
	}
feed:
	for _, p := range paths {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
}

// CheckPacks verifies every pack's trailer in parallel.
func (c *Checker) CheckPacks(packs []string) {
	var wg sync.WaitGroup
	for _, p := range packs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := pack.Checksum(p); err != nil {
				c.report(Problem{p, err})
			}
		}()
		c.logger.Printf("fsck: checking %s", filepath.Base(p))
	}
	wg.Wait()
}

// FirstProblem checks paths concurrently and returns as soon as one is bad.
func (c *Checker) FirstProblem(paths []string) (Problem, bool) {
	results := make(chan Problem, len(paths))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			results <- Problem{p, c.checkFile(p)}
		}(p)
	}
	for range paths {
		if r := <-results; r.Err != nil {
			return r, true
		}
	}
	return Problem{}, false
}

func (c *Checker) logPanic(v any) {
	if v != nil {
		c.logger.Printf("fsck: internal error: %v", v)
	}
}

// Run performs a full check and returns an error if anything is wrong.
func (c *Checker) Run(ctx context.Context, packDir string) error {
	defer c.logPanic(recover()) // HAZ recover-ineffective
	paths, err := c.LoosePaths()
	if err != nil {
		return err
	}
	c.CheckWorkers(ctx, paths)
	packs, err := pack.List(packDir)
	if err != nil {
		return err
	}
	c.CheckPacks(packs)
	if n := len(c.Problems()); n > 0 {
		return fmt.Errorf("fsck: %d problems", n)
	}
	return nil
}

// CheckConnectivity verifies that every object reachable from roots exists.
func (c *Checker) CheckConnectivity(store *object.Store, roots []object.ID) error {
	defer c.meter.Phase("Checking connectivity") // HAZ defer-func-result-not-called
	seen := make(map[object.ID]bool)
	stack := append([]object.ID(nil), roots...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		c.meter.Add(1)
		kind, data, err := store.Read(id)
		if errors.Is(err, object.ErrNotFound) {
			c.report(Problem{id.String(), fmt.Errorf("missing %w", err)})
			continue
		}
		if err != nil {
			return err
		}
		switch kind {
		case object.KindCommit:
			cm, err := object.DecodeCommit(data)
			if err != nil {
				c.report(Problem{id.String(), err})
				continue
			}
			stack = append(append(stack, cm.Tree), cm.Parents...)
		case object.KindTree:
			t, err := object.DecodeTree(data)
			if err != nil {
				c.report(Problem{id.String(), err})
				continue
			}
			for _, e := range t.Entries {
				stack = append(stack, e.ID)
			}
		}
	}
	return nil
}
