package gen

import (
	"context"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/fah24/internal/fsutil"
)

// generateParallel feeds targets to cfg.Workers workers and joins them.
func (g *Generator) generateParallel(ctx context.Context, targets []Target, step func()) error {
	jobs := make(chan Target)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range g.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				if err := g.generateOne(ctx, t); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", t.Name, err))
					mu.Unlock()
					continue
				}
				step()
			}
		}()
	}
feed:
	for _, t := range targets {
		select {
		case jobs <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return errors.Join(append(errs, ctx.Err())...)
}

// Stream generates targets concurrently and delivers each result on out,
// closing out when it returns.
func (g *Generator) Stream(ctx context.Context, targets []Target, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go func() {
			out <- Result{Target: t, Err: g.generateOne(ctx, t)}
		}()
	}
}

// StreamAll is Stream with the senders joined: out is closed only after
// the last result has been delivered.
func (g *Generator) StreamAll(ctx context.Context, targets []Target, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- Result{Target: t, Err: g.generateOne(ctx, t)}
		}()
	}
	wg.Wait()
}

// Collect runs targets concurrently and returns the results in order.
// The results channel has room for every sender, so returning early on
// ctx leaves no goroutine blocked.
func (g *Generator) Collect(ctx context.Context, targets []Target) ([]Result, error) {
	type indexed struct {
		i int
		r Result
	}
	ch := make(chan indexed, len(targets))
	for i, t := range targets {
		go func() {
			ch <- indexed{i, Result{Target: t, Err: g.generateOne(ctx, t)}}
		}()
	}
	out := make([]Result, len(targets))
	for range targets {
		select {
		case x := <-ch:
			out[x.i] = x.r
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// formatOutputs gofmts the generated Go files concurrently.
func (g *Generator) formatOutputs(paths []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go func() {
			src, err := os.ReadFile(p)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = formatInPlace(p, src)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// checkOutputs verifies concurrently that the generated Go files parse.
func (g *Generator) checkOutputs(paths []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src, err := os.ReadFile(p)
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = parser.ParseFile(token.NewFileSet(), p, src, parser.SkipObjectResolution)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func formatInPlace(path string, src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if string(out) == string(src) {
		return nil
	}
	return fsutil.WriteFile(path, out, 0o644)
}

// PostProcess formats and then checks the Go outputs.
func (g *Generator) PostProcess(paths []string) error {
	if err := g.runPhase("format", func() error { return g.formatOutputs(paths) }); err != nil {
		return err
	}
	return g.runPhase("check", func() error { return g.checkOutputs(paths) })
}

// Verify parse-checks the Go outputs while their names are linted.
func (g *Generator) Verify(paths []string) error {
	errc := make(chan error)
	go func() { errc <- g.checkOutputs(paths) }() // HAZ goroutine-blocked-send
	if err := lintNames(paths); err != nil {
		return err
	}
	return <-errc
}

// VerifyAll is Verify without the early return: both results are always
// collected, so the checker goroutine can always deliver.
func (g *Generator) VerifyAll(paths []string) error {
	errc := make(chan error)
	go func() { errc <- g.checkOutputs(paths) }()
	lintErr := lintNames(paths)
	return errors.Join(lintErr, <-errc)
}

// lintNames requires generated Go files to be named *_gen.go.
func lintNames(paths []string) error {
	var errs []error
	for _, p := range paths {
		if filepath.Ext(p) == ".go" && !strings.HasSuffix(p, "_gen.go") {
			errs = append(errs, fmt.Errorf("%s: generated Go files must end in _gen.go", p))
		}
	}
	return errors.Join(errs...)
}

// renderTimeout renders one target but gives up after d. The done channel
// is buffered, so the render goroutine can always deliver and exit.
func (g *Generator) renderTimeout(ctx context.Context, t Target, d time.Duration) ([]byte, error) {
	type res struct {
		data []byte
		err  error
	}
	done := make(chan res, 1)
	go func() {
		data, err := g.renderBytes(t)
		done <- res{data, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.data, r.err
	case <-timer.C:
		return nil, fmt.Errorf("%s: render timed out after %v", t.Name, d)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Shards splits targets into n contiguous shards. i is declared outside
// the loop because the number of non-empty shards is needed afterwards;
// the goroutines get their own copy.
func (g *Generator) Shards(ctx context.Context, targets []Target, n int) (int, error) {
	if n <= 0 || len(targets) == 0 {
		return 0, nil
	}
	size := (len(targets) + n - 1) / n
	errs := make([]error, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i*size < len(targets); i++ {
		shard, lo := i, i*size
		hi := min(lo+size, len(targets))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, t := range targets[lo:hi] {
				if err := g.generateOne(ctx, t); err != nil {
					errs[shard] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}
