// Package batch runs thumbnail and indexing jobs in parallel.
package batch

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
)

// Item is one unit of work.
type Item struct {
	ID   string
	URL  string
	Skip bool
}

// Result is the outcome of one item.
type Result struct {
	ID     string
	Status int
	Err    error
}

// Runner runs batches.
type Runner struct {
	client *http.Client
	wg     sync.WaitGroup
	mu     sync.Mutex
	done   []string
}

// Pool embeds its WaitGroup.
type Pool struct {
	sync.WaitGroup
	results chan Result
}

func fetch(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func process(it Item) {
	if it.ID == "" {
		panic("item without id")
	}
}

func (r *Runner) record(id string) {
	r.mu.Lock()
	r.done = append(r.done, id)
	r.mu.Unlock()
}

// FetchAll fetches every item; failures are reported on errs.
func (r *Runner) FetchAll(items []Item, errs chan<- error) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			status, err := fetch(r.client, it.URL)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			out = append(out, Result{ID: it.ID, Status: status})
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

func indexWorker(wg *sync.WaitGroup, jobs <-chan Item, index func(Item) error) {
	for it := range jobs {
		if err := index(it); err != nil {
			log.Printf("index %s: %v", it.ID, err)
			return
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// IndexAll indexes items with n workers.
func IndexAll(items []Item, n int, index func(Item) error) {
	var wg sync.WaitGroup
	jobs := make(chan Item)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go indexWorker(&wg, jobs, index)
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// ProcessAll processes items, logging panics per item.
func (r *Runner) ProcessAll(items []Item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					log.Printf("item %s panicked: %v", it.ID, p)
				}
			}()
			process(it)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RecordAll records every item id.
func (r *Runner) RecordAll(items []Item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.record(it.ID)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Stream fetches items and streams results until ctx ends.
func (r *Runner) Stream(ctx context.Context, items []Item, out chan<- Result) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			status, err := fetch(r.client, it.URL)
			select {
			case <-ctx.Done():
				return
			case out <- Result{ID: it.ID, Status: status, Err: err}:
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Sequential processes items on one goroutine, one Done per item.
func (r *Runner) Sequential(items []Item) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it.Skip {
				continue
			}
			r.record(it.ID)
			wg.Done() // HAZ waitgroup-done-path
		}
	}()
	wg.Wait()
}

// Run submits items to the pool.
func (p *Pool) Run(c *http.Client, items []Item) {
	for _, it := range items {
		p.Add(1)
		go func() {
			status, err := fetch(c, it.URL)
			if err != nil {
				log.Printf("fetch %s: %v", it.URL, err)
				return
			}
			p.results <- Result{ID: it.ID, Status: status}
			p.Done() // HAZ waitgroup-done-path
		}()
	}
	p.Wait()
	close(p.results)
}

// Dispatch runs each item according to its kind on the runner's wait group.
func (r *Runner) Dispatch(items []Item) {
	for _, it := range items {
		r.wg.Add(1)
		go func() {
			switch {
			case it.Skip:
				return
			case it.URL != "":
				if _, err := fetch(r.client, it.URL); err != nil {
					log.Printf("dispatch %s: %v", it.ID, err)
				}
			default:
				r.record(it.ID)
			}
			r.wg.Done() // HAZ waitgroup-done-path
		}()
	}
	r.wg.Wait()
}

// ParallelMap applies fn to every input concurrently.
func ParallelMap[T, R any](in []T, fn func(T) (R, error)) ([]R, error) {
	var wg sync.WaitGroup
	out := make([]R, len(in))
	errs := make([]error, len(in))
	for i, v := range in {
		wg.Add(1)
		go func() {
			r, err := fn(v)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = r
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// ---- negatives ----

// FetchAllSafe defers Done first.
func (r *Runner) FetchAllSafe(items []Item) []Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Result
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok
			status, err := fetch(r.client, it.URL)
			mu.Lock()
			out = append(out, Result{ID: it.ID, Status: status, Err: err})
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// FetchAllExplicit calls Done on every path.
func (r *Runner) FetchAllExplicit(items []Item) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			status, err := fetch(r.client, it.URL)
			if err != nil {
				out[i] = Result{ID: it.ID, Err: err}
				wg.Done() // ok: before the early return
				return
			}
			out[i] = Result{ID: it.ID, Status: status}
			wg.Done() // ok
		}()
	}
	wg.Wait()
	return out
}

func indexWorkerSafe(wg *sync.WaitGroup, jobs <-chan Item, index func(Item) error) {
	defer wg.Done() // ok
	for it := range jobs {
		if err := index(it); err != nil {
			log.Printf("index %s: %v", it.ID, err)
			return
		}
	}
}

// IndexAllSafe uses the deferring worker.
func IndexAllSafe(items []Item, n int, index func(Item) error) {
	var wg sync.WaitGroup
	jobs := make(chan Item)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go indexWorkerSafe(&wg, jobs, index)
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// ProcessAllSafe defers Done inside the recovering closure.
func (r *Runner) ProcessAllSafe(items []Item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					log.Printf("item %s panicked: %v", it.ID, p)
				}
				wg.Done() // ok: runs on every path, panics included
			}()
			process(it)
		}()
	}
	wg.Wait()
}

// Validate rejects the batch before any goroutine starts.
func (r *Runner) Validate(items []Item) error {
	var wg sync.WaitGroup
	for _, it := range items {
		if it.ID == "" {
			return errors.New("item without id") // ok: no Add yet for this item
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.record(it.ID)
		}()
	}
	wg.Wait()
	return nil
}

// SequentialSafe calls Done for skipped items too.
func (r *Runner) SequentialSafe(items []Item) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it.Skip {
				wg.Done() // ok: before continue
				continue
			}
			r.record(it.ID)
			wg.Done()
		}
	}()
	wg.Wait()
}

// Group is a minimal error group.
type Group struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

// Go runs fn on a new goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done() // ok
		if err := fn(); err != nil {
			g.once.Do(func() { g.err = err })
		}
	}()
}

// Wait waits for every goroutine.
func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}

// FetchGroup fetches with the group; early returns inside fn are fine.
func (r *Runner) FetchGroup(items []Item) error {
	var g Group
	for _, it := range items {
		g.Go(func() error {
			if it.Skip {
				return nil
			}
			_, err := fetch(r.client, it.URL)
			return err
		})
	}
	return g.Wait()
}

// Notify signals completion then returns.
func (r *Runner) Notify(items []Item, sink chan<- string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			if it.Skip {
				wg.Done() // ok
				return
			}
			r.record(it.ID)
			wg.Done() // ok
			sink <- fmt.Sprintf("recorded %s", it.ID)
		}()
	}
	wg.Wait()
}
