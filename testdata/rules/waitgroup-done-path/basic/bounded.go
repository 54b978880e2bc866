package fixture

import (
	"errors"
	"sync"
)

// boundedPool runs at most cap(sem) functions at once.
type boundedPool struct {
	sem chan struct{}
}

func (p *boundedPool) release() { <-p.sem }

func (p *boundedPool) spawn(fn func()) {
	p.sem <- struct{}{}
	go func() {
		defer p.release()
		fn()
	}()
}

// The goroutine the pool starts returns before Done when f fails.
func (p *boundedPool) mapAll(items []int, f func(int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		p.spawn(func() {
			if err := f(it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in the goroutine started on line \d+`
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Done deferred: every path marks it.
func (p *boundedPool) mapAllDeferred(items []int, f func(int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		p.spawn(func() {
			defer wg.Done()
			if err := f(it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
