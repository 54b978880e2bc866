// Package parallel runs per-file work with bounded concurrency.
package parallel

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sync"

	"example.com/etl/fsutil"
)

// Result is the outcome of processing one path.
type Result struct {
	Path string
	N    int64
	Err  error
}

// Func processes one path and returns a count (bytes, rows, ...).
type Func func(ctx context.Context, path string) (int64, error)

// Map runs fn over paths with at most limit workers and returns results in input order.
func Map(ctx context.Context, paths []string, limit int, fn Func) []Result {
	if limit < 1 {
		limit = 1
	}
	results := make([]Result, len(paths))
	idx := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				n, err := fn(ctx, paths[i])
				results[i] = Result{Path: paths[i], N: n, Err: err}
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case idx <- i:
		case <-ctx.Done():
			for j := i; j < len(paths); j++ {
				results[j] = Result{Path: paths[j], Err: ctx.Err()}
			}
			break feed
		}
	}
	close(idx)
	wg.Wait()
	return results
}

// Errors joins the errors of results.
func Errors(results []Result) error {
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Path, r.Err))
		}
	}
	return errors.Join(errs...)
}

// Group runs functions with a concurrency limit and cancels the others on the first error.
type Group struct {
	wg     sync.WaitGroup
	sem    chan struct{}
	cancel context.CancelFunc
	once   sync.Once
	err    error
}

// WithContext returns a Group whose context is cancelled on the first error.
func WithContext(ctx context.Context, limit int) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	g := &Group{cancel: cancel}
	if limit > 0 {
		g.sem = make(chan struct{}, limit)
	}
	return g, ctx
}

// Go runs fn in a new goroutine, blocking while the limit is reached.
func (g *Group) Go(fn func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := fn(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

// done releases the slot this goroutine acquired in Go; the receive never waits.
func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Wait waits for all functions and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func countFileLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// CountLines counts the lines of each file concurrently.
func CountLines(paths []string) (map[string]int, error) {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		counts   = make(map[string]int, len(paths))
		firstErr error
	)
	for _, p := range paths {
		wg.Add(1)
		go func() {
			n, err := countFileLines(p)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return
			}
			mu.Lock()
			counts[p] = n
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return counts, firstErr
}

// LineCounts is CountLines with the Done deferred.
func LineCounts(ctx context.Context, paths []string, limit int) (map[string]int, error) {
	g, ctx := WithContext(ctx, limit)
	var mu sync.Mutex
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := countFileLines(p)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			mu.Lock()
			defer mu.Unlock()
			counts[p] = n
			return nil
		})
	}
	return counts, g.Wait()
}

// HashAll returns the SHA-256 of every path, in order.
func HashAll(paths []string) ([]string, error) {
	sums := make([]string, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum, err := fsutil.FileSHA256(p)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", p, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			sums[i] = sum
		}()
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// Sizes returns the size of every path, in order.
func Sizes(paths []string) ([]int64, error) {
	sizes := make([]int64, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fi, err := os.Stat(p)
			if err != nil {
				errs[i] = err
				return
			}
			sizes[i] = fi.Size()
		}()
	}
	wg.Wait()
	return sizes, errors.Join(errs...)
}

// SafeApply runs fn on every item concurrently and turns a panic into an error.
func SafeApply(items []string, fn func(string) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parallel: panic: %v", r)
		}
	}()
	errs := make(chan error, len(items))
	for _, it := range items {
		go func() { errs <- fn(it) }() // HAZ goroutine-outside-recover
	}
	for range items {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	return err
}

// ApplyEach runs fn on every item concurrently; a panic in fn becomes that item's error.
func ApplyEach(items []string, fn func(string) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parallel: panic: %v", r)
		}
	}()
	errs := make(chan error, len(items))
	for _, it := range items {
		go func() {
			errs <- Try(func() error { return fn(it) }) // ok: Try recovers inside this goroutine
		}()
	}
	var all []error
	for range items {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// catch converts a panic into *err; it must be deferred directly.
func catch(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("parallel: panic: %v", r)
	}
}

// Try calls fn and returns a panic as an error.
func Try(fn func() error) (err error) {
	defer catch(&err) // ok: catch calls recover directly
	return fn()
}

// Stream sends one Result per path on out and closes out.
func Stream(ctx context.Context, paths []string, fn Func, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			n, err := fn(ctx, p)
			out <- Result{Path: p, N: n, Err: err}
		}()
	}
}

// StreamWait sends one Result per path on out, closing it after the last send.
func StreamWait(ctx context.Context, paths []string, limit int, fn Func, out chan<- Result) {
	defer close(out) // ok: every sender has finished by the time wg.Wait returns
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for _, p := range paths {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }() // ok: returns the token this goroutine took
			n, err := fn(ctx, p)
			select {
			case out <- Result{Path: p, N: n, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// Walk sends the regular files below root on the returned channel.
func Walk(ctx context.Context, root string) (<-chan string, <-chan error) {
	paths := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(paths) // ok: only this goroutine sends
		errc <- filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			select {
			case paths <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	return paths, errc
}

// ProcessTree runs fn on every file below root with limit workers.
func ProcessTree(ctx context.Context, root string, limit int, fn Func) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	paths, walkErr := Walk(ctx, root)
	var (
		mu    sync.Mutex
		total int64
		errs  []error
		wg    sync.WaitGroup
	)
	for w := 0; w < max(limit, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				n, err := fn(ctx, p)
				mu.Lock()
				total += n
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", p, err))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	errs = append(errs, <-walkErr)
	return total, errors.Join(errs...)
}

// Logged wraps fn so that each failure is logged with its path.
func Logged(fn Func) Func {
	return func(ctx context.Context, path string) (int64, error) {
		n, err := fn(ctx, path)
		if err != nil {
			log.Printf("parallel: %s: %v", path, err)
		}
		return n, err
	}
}
