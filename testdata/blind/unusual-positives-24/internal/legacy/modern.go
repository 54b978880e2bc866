package legacy

import (
	"errors"
	"fmt"
	"sync"
)

// Pool keeps a fixed set of warmed-up workers' results.
type Pool struct {
	wg    sync.WaitGroup
	slots []string
	size  int
	dial  func(slot int) (string, error)
}

// NewPool returns a pool of n slots filled by dial.
func NewPool(n int, dial func(slot int) (string, error)) *Pool {
	return &Pool{slots: make([]string, n), dial: dial}
}

// Warm dials every slot concurrently and remembers how many it started.
func (p *Pool) Warm() []error {
	errs := make([]error, len(p.slots))
	var i int
	for i = 0; i < len(p.slots); i++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.slots[i], errs[i] = p.dial(i)
		}()
	}
	p.size = i
	p.wg.Wait()
	return errs
}

// WarmEach is Warm with a loop that declares its own index, which Go 1.22
// gives every iteration afresh.
func (p *Pool) WarmEach() error {
	errs := make([]error, len(p.slots))
	for i := 0; i < len(p.slots); i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.slots[i], errs[i] = p.dial(i)
		}()
	}
	p.size = len(p.slots)
	p.wg.Wait()
	return errors.Join(errs...)
}

// ResizeNew is ResizeAll written in a Go 1.22 file.
func ResizeNew(srcs []string, resize Resizer) error {
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	for i, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := resize(src); err != nil {
				errs[i] = fmt.Errorf("resize %s: %w", src, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
