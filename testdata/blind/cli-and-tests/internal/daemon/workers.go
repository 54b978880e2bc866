package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"example.com/clitests/internal/pidfile"
)

// Item is one spooled file to process under its lock file.
type Item struct {
	Path string
	Lock string
}

// Pool processes queued items with a fixed number of workers.
type Pool struct {
	d     *Daemon
	queue chan Item
	wg    sync.WaitGroup
}

// NewPool returns a pool with a queue of size n.
func (d *Daemon) NewPool(n int) *Pool {
	return &Pool{d: d, queue: make(chan Item, n)}
}

// Submit queues an item; it blocks while the queue is full.
func (p *Pool) Submit(ctx context.Context, it Item) error {
	select {
	case p.queue <- it:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting items and waits for the workers to finish.
func (p *Pool) Close() {
	close(p.queue)
	p.wg.Wait()
}

// StartWorkers starts up to n workers and returns how many it started.
func (p *Pool) StartWorkers(ctx context.Context, n int) int {
	var id int
	for id = 0; id < n && ctx.Err() == nil; id++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.work(ctx, id)
		}()
	}
	p.d.logf("started %d workers", id)
	return id
}

// Start starts n workers, each with its own id.
func (p *Pool) Start(ctx context.Context, n int) {
	for id := 0; id < n; id++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work(ctx, id) // ok: id is declared by the loop (go1.22)
		}()
	}
}

func (p *Pool) work(ctx context.Context, id int) {
	for it := range p.queue {
		if err := p.process(ctx, it); err != nil {
			p.d.logf("worker %d: %s: %v", id, it.Path, err)
		}
	}
}

// process handles one item while holding its lock file.
func (p *Pool) process(ctx context.Context, it Item) error {
	lk, err := pidfile.Acquire(it.Lock)
	if err != nil {
		return err
	}
	defer lk.Release() // ok: one lock per call
	return handleItem(ctx, it)
}

// Serial processes items one at a time in the caller's goroutine; it is
// used instead of StartWorkers when Workers is 1.
func (p *Pool) Serial(ctx context.Context) {
	for it := range p.queue {
		lk, err := pidfile.Acquire(it.Lock)
		if err != nil {
			p.d.logf("%s: %v", it.Path, err)
			continue
		}
		defer lk.Release() // HAZ defer-in-infinite-loop
		if err := handleItem(ctx, it); err != nil {
			p.d.logf("%s: %v", it.Path, err)
		}
	}
}

// SerialLocked is Serial with the per-item work in process, so each lock
// is released before the next item is taken.
func (p *Pool) SerialLocked(ctx context.Context) {
	for it := range p.queue {
		if err := p.process(ctx, it); err != nil {
			p.d.logf("%s: %v", it.Path, err)
		}
	}
}

// handleItem moves a spooled file to its .done name.
func handleItem(ctx context.Context, it Item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.HasSuffix(it.Path, ".done") {
		return nil
	}
	return os.Rename(it.Path, it.Path+".done")
}

// RunBatch processes items concurrently and waits for all of them.
func (p *Pool) RunBatch(ctx context.Context, items []Item) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = p.process(ctx, it)
		}()
	}
	wg.Wait()
	return errs
}

// ProcessAll processes items concurrently; every goroutine calls Done
// exactly once, through defer.
func (p *Pool) ProcessAll(ctx context.Context, items []Item) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.process(ctx, it); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%s: %v", filepath.Base(it.Path), err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("%d items failed: %s", len(errs), strings.Join(errs, "; "))
	}
	return nil
}

// RunHooks runs post-processing hooks concurrently; a panicking hook is
// logged.
func (p *Pool) RunHooks(hooks []func()) {
	var wg sync.WaitGroup
	for _, h := range hooks {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					p.d.logf("hook panic: %v", r)
				}
			}()
			h()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RunHooksSafe is RunHooks with Done deferred first, so it runs last,
// after the recover, on every path.
func (p *Pool) RunHooksSafe(hooks []func()) {
	var wg sync.WaitGroup
	for _, h := range hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					p.d.logf("hook panic: %v", r)
				}
			}()
			h()
		}()
	}
	wg.Wait()
}
