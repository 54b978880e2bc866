// Package workpool runs batches of independent jobs on a fixed number of
// worker goroutines, the way the backup and sync jobs fan out over files.
package workpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
)

// Task is one unit of work.
type Task func(ctx context.Context) error

// Result records the outcome of one task.
type Result struct {
	Index int
	Err   error
}

// Pool is a fixed set of workers consuming a task queue.
type Pool struct {
	size  int
	tasks chan Task
	wg    sync.WaitGroup

	closing sync.RWMutex // guards closed and close(tasks)
	closed  bool

	mu   sync.Mutex // guards errs
	errs []error
}

// New starts a pool with n workers.
func New(ctx context.Context, n int) *Pool {
	if n < 1 {
		n = 1
	}
	p := &Pool{size: n, tasks: make(chan Task)}
	p.wg.Add(n)
	for i := 0; i < n; i++ {
		go p.worker(ctx)
	}
	return p
}

func (p *Pool) worker(ctx context.Context) {
	defer p.wg.Done()
	for t := range p.tasks {
		if err := runTask(ctx, t); err != nil {
			p.record(err)
		}
	}
}

// runTask converts a task panic into an error so one bad file does not take
// the whole job down.
func runTask(ctx context.Context, t Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("workpool: task panicked: %v", r)
		}
	}()
	return t(ctx)
}

func (p *Pool) record(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, err)
}

// Submit queues t. It returns false after Close. The read lock is held
// across the send so Close cannot close the queue under a pending Submit.
func (p *Pool) Submit(t Task) bool {
	p.closing.RLock()
	defer p.closing.RUnlock()
	if p.closed {
		return false
	}
	p.tasks <- t
	return true
}

// Close stops accepting tasks, waits for the workers and returns the joined
// task errors.
func (p *Pool) Close() error {
	p.closing.Lock()
	if p.closed {
		p.closing.Unlock()
		return errors.New("workpool: already closed")
	}
	p.closed = true
	close(p.tasks)
	p.closing.Unlock()
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}

// Size returns the number of workers.
func (p *Pool) Size() int { return p.size }

// Run executes all tasks with at most n running at once and returns the
// results in task order. Every goroutine is joined before Run returns.
func Run(ctx context.Context, n int, tasks []Task) []Result {
	results := make([]Result, len(tasks))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = Result{Index: i, Err: runTask(ctx, t)}
		}()
	}
	wg.Wait()
	return results
}

// FirstError runs the tasks concurrently and returns the first error. The
// error channel is buffered for every sender, so no goroutine blocks after
// the early return.
func FirstError(ctx context.Context, tasks []Task) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(tasks))
	for _, t := range tasks {
		go func() { errc <- runTask(ctx, t) }()
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Map applies fn to every item with n workers; the producer goroutine owns
// and closes the jobs channel, and the results channel is closed only after
// all workers have finished.
func Map[T, R any](ctx context.Context, n int, items []T, fn func(context.Context, T) R) []R {
	type job struct {
		i int
		v T
	}
	jobs := make(chan job)
	out := make([]R, len(items))
	go func() {
		defer close(jobs)
		for i, v := range items {
			select {
			case jobs <- job{i, v}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out[j.i] = fn(ctx, j.v)
			}
		}()
	}
	wg.Wait()
	return out
}

// Stream starts workers that send on the returned channel. The channel is
// closed by a separate goroutine once every worker has returned.
func Stream(ctx context.Context, paths []string, fn func(string) error) <-chan Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case out <- Result{Index: i, Err: fn(p)}:
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Collect gathers results from several workers into one slice. The channel
// is buffered for every worker and closed only after wg.Wait.
func Collect(ctx context.Context, n int, fn func(int) Result) []Result {
	ch := make(chan Result, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- fn(i)
		}()
	}
	wg.Wait()
	close(ch)
	var all []Result
	for r := range ch {
		all = append(all, r)
	}
	return all
}

// Entry is a file found by a Walker.
type Entry struct {
	Path string
	Size int64
}

// Walker lists directories concurrently.
type Walker struct {
	Logger *log.Logger
}

func (w *Walker) scan(dir string, out chan<- Entry) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		w.Logger.Printf("scan %s: %v", dir, err)
		return
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || info.IsDir() {
			continue
		}
		out <- Entry{Path: filepath.Join(dir, e.Name()), Size: info.Size()}
	}
}

// emitAll fans the directory scans out and closes out when done.
func (w *Walker) emitAll(out chan<- Entry, dirs []string) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, d := range dirs {
		go w.scan(d, out)
	}
}

// ScanAll returns every file of dirs. The scans are joined with a
// WaitGroup before the channel is closed.
func (w *Walker) ScanAll(dirs []string) []Entry {
	out := make(chan Entry)
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.scan(d, out)
		}()
	}
	go func() {
		defer close(out)
		wg.Wait()
	}()
	var all []Entry
	for e := range out {
		all = append(all, e)
	}
	return all
}

// Quick lists dirs using emitAll.
func (w *Walker) Quick(dirs []string) []Entry {
	out := make(chan Entry, 64)
	w.emitAll(out, dirs)
	var all []Entry
	for e := range out {
		all = append(all, e)
	}
	return all
}

// ChecksumAll computes the SHA-256 of every file concurrently.
func ChecksumAll(paths []string) (map[string]string, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		sums = make(map[string]string, len(paths))
		errs = make(chan error, len(paths))
	)
	for _, p := range paths {
		wg.Add(1)
		go func() {
			data, err := os.ReadFile(p)
			if err != nil {
				errs <- fmt.Errorf("checksum %s: %w", p, err)
				return
			}
			sum := sha256.Sum256(data)
			mu.Lock()
			sums[p] = hex.EncodeToString(sum[:])
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	if err, ok := <-errs; ok {
		return nil, err
	}
	return sums, nil
}

// Sizes records the length of every name in parallel. The goroutine body has
// no early return and calls nothing that can fail, so the explicit Done is
// always reached.
func Sizes(names []string) []int {
	out := make([]int, len(names))
	var wg sync.WaitGroup
	wg.Add(len(names))
	for i := range names {
		go func() {
			out[i] = len(names[i])
			wg.Done()
		}()
	}
	wg.Wait()
	return out
}
