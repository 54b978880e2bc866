// Package pool contains the hand-rolled worker pools used by the batch tools.
package pool

import (
	"context"
	"errors"
	"fmt"
	"io/ioutil"
	"log"
	"os"
	"sync"
	"time"
)

// Task is a unit of work.
type Task func(ctx context.Context) error

// Pool runs tasks on a fixed number of workers.
type Pool struct {
	n       int
	tasks   chan Task
	wg      sync.WaitGroup
	mu      sync.Mutex
	errs    []error
	started int
}

// New returns a pool with n workers and a queue of size queue.
func New(n, queue int) *Pool {
	return &Pool{n: n, tasks: make(chan Task, queue)}
}

func (p *Pool) record(id int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, fmt.Errorf("worker %d: %w", id, err))
}

// Start launches the workers.
func (p *Pool) Start(ctx context.Context) {
	for i := 0; i < p.n; i++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			for t := range p.tasks {
				if err := t(ctx); err != nil {
					p.record(i, err)
				}
			}
		}()
		p.started++
	}
}

// StartWorkers launches the workers, passing each its id.
func (p *Pool) StartWorkers(ctx context.Context) {
	for i := 0; i < p.n; i++ {
		p.wg.Add(1)
		go func(id int) {
			defer p.wg.Done()
			for t := range p.tasks {
				if err := t(ctx); err != nil {
					p.record(id, err)
				}
			}
		}(i)
		p.started++
	}
}

// StartCopied launches the workers with a per-iteration copy of the id.
func (p *Pool) StartCopied(ctx context.Context) {
	for i := 0; i < p.n; i++ {
		id := i
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work(ctx, id)
		}()
		p.started++
	}
}

// StartMethod launches p.work directly; the arguments are evaluated by the
// go statement itself.
func (p *Pool) StartMethod(ctx context.Context) {
	for i := 0; i < p.n; i++ {
		p.wg.Add(1)
		go p.workDone(ctx, i)
	}
}

func (p *Pool) workDone(ctx context.Context, id int) {
	defer p.wg.Done()
	p.work(ctx, id)
}

func (p *Pool) work(ctx context.Context, id int) {
	for t := range p.tasks {
		if err := t(ctx); err != nil {
			p.record(id, err)
		}
	}
}

// Submit queues t, giving up when ctx ends.
func (p *Pool) Submit(ctx context.Context, t Task) error {
	select {
	case p.tasks <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting tasks and waits for the workers.
func (p *Pool) Close() []error {
	close(p.tasks)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

// Result is the outcome of one item of a Map call.
type Result struct {
	Index int
	Value string
	Err   error
}

// Map applies fn to every item concurrently and returns results in order.
func Map(items []string, fn func(string) (string, error)) []Result {
	out := make([]Result, len(items))
	var wg sync.WaitGroup
	for idx, item := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			v, err := fn(item)
			out[idx] = Result{Index: idx, Value: v, Err: err}
		}()
		if idx%100 == 0 {
			log.Printf("pool: map dispatched %d/%d", idx, len(items))
		}
	}
	wg.Wait()
	return out
}

// MapOrdered is Map with the loop values passed as arguments.
func MapOrdered(items []string, fn func(string) (string, error)) []Result {
	out := make([]Result, len(items))
	var wg sync.WaitGroup
	for idx, item := range items {
		wg.Add(1)
		go func(idx int, item string) {
			defer wg.Done()
			v, err := fn(item)
			out[idx] = Result{Index: idx, Value: v, Err: err}
		}(idx, item)
	}
	wg.Wait()
	return out
}

// RunBatch runs every job and waits for all of them.
func RunBatch(jobs []string, fetch func(string) ([]byte, error), process func([]byte)) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j string) {
			b, err := fetch(j)
			if err != nil {
				log.Printf("pool: fetch %s: %v", j, err)
				return
			}
			process(b)
			wg.Done() // HAZ waitgroup-done-path
		}(j)
	}
	wg.Wait()
}

// RunBatchOK is RunBatch with Done deferred.
func RunBatchOK(jobs []string, fetch func(string) ([]byte, error), process func([]byte)) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j string) {
			defer wg.Done()
			b, err := fetch(j)
			if err != nil {
				log.Printf("pool: fetch %s: %v", j, err)
				return
			}
			process(b)
		}(j)
	}
	wg.Wait()
}

// FileWorker reads the paths sent on jobs and reports their sizes until the
// channel is closed.
func FileWorker(jobs <-chan string, sizes chan<- int) {
	for path := range jobs {
		f, err := os.Open(path)
		if err != nil {
			log.Printf("pool: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		b, err := ioutil.ReadAll(f)
		if err != nil {
			log.Printf("pool: read %s: %v", path, err)
			continue
		}
		sizes <- len(b)
	}
}

// FileWorkerOK is FileWorker with the per-file work in a helper.
func FileWorkerOK(jobs <-chan string, sizes chan<- int) {
	for path := range jobs {
		n, err := fileSize(path)
		if err != nil {
			log.Printf("pool: %v", err)
			continue
		}
		sizes <- n
	}
}

func fileSize(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	b, err := ioutil.ReadAll(f)
	return len(b), err
}

// FirstOK returns the first value produced by any of fns, or ctx's error.
func FirstOK(ctx context.Context, fns []func() (string, error)) (string, error) {
	ch := make(chan string, len(fns))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, fn := range fns {
		go func(fn func() (string, error)) {
			if v, err := fn(); err == nil {
				ch <- v
			}
		}(fn)
	}
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// FirstOKSafe never closes ch; the buffer lets late senders finish.
func FirstOKSafe(ctx context.Context, fns []func() (string, error)) (string, error) {
	ch := make(chan string, len(fns))
	for _, fn := range fns {
		go func(fn func() (string, error)) {
			if v, err := fn(); err == nil {
				ch <- v
			}
		}(fn)
	}
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Gather runs every fn and returns all values; ch is closed only after
// every sender has finished.
func Gather(fns []func() string) []string {
	ch := make(chan string)
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func(fn func() string) {
			defer wg.Done()
			ch <- fn()
		}(fn)
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	var out []string
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Counter produces 0..n-1 on the returned channel until ctx ends.
func Counter(ctx context.Context, n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch) // ok: the only sender closes
		for i := 0; i < n; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Drain collects everything from the producer started here, then closes.
func Drain(items []int) int {
	ch := make(chan int)
	done := make(chan int)
	go func() {
		sum := 0
		for v := range ch {
			sum += v
		}
		done <- sum
	}()
	func() {
		defer close(ch) // ok: this function is the only sender and sends synchronously
		for _, v := range items {
			ch <- v
		}
	}()
	return <-done
}

// ErrTaskPanicked is returned by Guard when a task panics.
var ErrTaskPanicked = errors.New("pool: task panicked")

// Guard runs t and turns a panic into ErrTaskPanicked.
func Guard(ctx context.Context, t Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("pool: task panic: %v", r)
			err = ErrTaskPanicked
		}
	}()
	return t(ctx)
}

// BestEffort runs t and ignores a panic in it.
func BestEffort(ctx context.Context, t Task) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	_ = t(ctx)
}

// Retry runs t up to attempts times, sleeping between failures.
func Retry(ctx context.Context, attempts int, backoff time.Duration, t Task) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = Guard(ctx, t); err == nil {
			return nil
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}
