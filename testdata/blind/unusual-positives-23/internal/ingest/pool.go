package ingest

import (
	"errors"
	"fmt"
	"log"
	"sync"

	"example.com/up23/internal/store"
)

// Pool applies write batches with a fixed number of workers.
type Pool struct {
	st      *store.Store
	workers int
	log     *log.Logger

	mu     sync.Mutex
	failed []error
}

// NewPool returns a pool of n workers writing into st.
func NewPool(st *store.Store, n int, logger *log.Logger) *Pool {
	if n < 1 {
		n = 1
	}
	return &Pool{st: st, workers: n, log: logger}
}

func (p *Pool) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failed = append(p.failed, err)
}

func (p *Pool) takeFailures() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	err := errors.Join(p.failed...)
	p.failed = nil
	return err
}

// Run applies all batches and returns the joined failures.
func (p *Pool) Run(batches []store.Batch) error {
	var wg sync.WaitGroup
	q := make(chan store.Batch)
	for i := 0; i < p.workers; i++ {
		wg.Add(1)
		go p.worker(&wg, q)
	}
	for _, b := range batches {
		q <- b
	}
	close(q)
	wg.Wait()
	return p.takeFailures()
}

// worker applies batches from q until it is closed or a batch fails.
func (p *Pool) worker(wg *sync.WaitGroup, q <-chan store.Batch) {
	for b := range q {
		if err := p.st.ApplyBatch(b); err != nil {
			p.fail(fmt.Errorf("series %s: %w", b.Series, err))
			return
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// RunAll is Run with workers that keep going after a failed batch.
func (p *Pool) RunAll(batches []store.Batch) error {
	var wg sync.WaitGroup
	q := make(chan store.Batch)
	for i := 0; i < p.workers; i++ {
		wg.Add(1)
		go p.tolerantWorker(&wg, q)
	}
	for _, b := range batches {
		q <- b
	}
	close(q)
	wg.Wait()
	return p.takeFailures()
}

func (p *Pool) tolerantWorker(wg *sync.WaitGroup, q <-chan store.Batch) {
	done := wg.Done
	defer done()
	for b := range q {
		if err := p.st.ApplyBatch(b); err != nil {
			p.fail(fmt.Errorf("series %s: %w", b.Series, err))
		}
	}
}

// Apply runs one goroutine per batch.
func (p *Pool) Apply(batches []store.Batch) error {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go p.applyOne(&wg, b)
	}
	wg.Wait()
	return p.takeFailures()
}

// applyOne applies b; empty batches are acknowledged immediately.
func (p *Pool) applyOne(wg *sync.WaitGroup, b store.Batch) {
	defer wg.Done()
	if len(b.Points) == 0 {
		wg.Done() // HAZ waitgroup-done-path
		return
	}
	if err := p.st.ApplyBatch(b); err != nil {
		p.fail(fmt.Errorf("series %s: %w", b.Series, err))
	}
}

// ApplyChecked is Apply with the empty-batch shortcut done before the
// goroutine starts.
func (p *Pool) ApplyChecked(batches []store.Batch) error {
	var wg sync.WaitGroup
	for _, b := range batches {
		if len(b.Points) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			if err := p.st.ApplyBatch(b); err != nil {
				p.fail(fmt.Errorf("series %s: %w", b.Series, err))
			}
			wg.Done()
		}()
	}
	wg.Wait()
	return p.takeFailures()
}
