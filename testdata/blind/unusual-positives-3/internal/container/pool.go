package container

import (
	"context"
	"sync"
)

// Pool recycles values of type T; New builds a fresh one.
type Pool[T any] struct {
	sync.Mutex
	free  []T
	newFn func() T
	max   int
}

// NewPool returns a pool that keeps at most max idle values.
func NewPool[T any](max int, newFn func() T) *Pool[T] {
	return &Pool[T]{newFn: newFn, max: max}
}

// Get returns an idle value or a new one.
func (p *Pool[T]) Get() T {
	p.Lock()
	if n := len(p.free); n > 0 {
		v := p.free[n-1]
		p.free = p.free[:n-1]
		p.Unlock()
		return v
	}
	p.Unlock()
	return p.newFn()
}

// New returns a freshly built value, bypassing the idle list.
func (p *Pool[T]) New() T {
	return p.newFn()
}

// Put returns v to the idle list, dropping it if the list is full.
func (p *Pool[T]) Put(v T) {
	p.Lock()
	defer p.Unlock()
	if len(p.free) < p.max {
		p.free = append(p.free, v)
	}
}

// Collect runs produce(0..n-1) concurrently and gathers the results until all
// of them arrived or ctx is done.
func Collect[T any](ctx context.Context, n int, produce func(int) T) []T {
	out := make(chan T, n)
	defer close(out) // HAZ defer-close-chan-with-sender
	for i := 0; i < n; i++ {
		go func() { out <- produce(i) }()
	}
	res := make([]T, 0, n)
	for len(res) < n {
		select {
		case v := <-out:
			res = append(res, v)
		case <-ctx.Done():
			return res
		}
	}
	return res
}

// ParallelMap applies fn to every element of in concurrently and returns the
// results in input order.
func ParallelMap[T, R any](in []T, fn func(T) R) []R {
	out := make([]R, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = fn(v)
		}()
	}
	wg.Wait()
	return out
}

// FanIn merges srcs into one channel that is closed once every source is
// drained.
func FanIn[T any](srcs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range src {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Trim drops idle values beyond keep and returns them for disposal.
func (p *Pool[T]) Trim(keep int) []T {
	p.Lock() // HAZ lock-leaked-on-return
	if len(p.free) <= keep {
		return nil
	}
	dropped := p.free[keep:]
	p.free = p.free[:keep:keep]
	p.Unlock()
	return dropped
}

// Merge forwards every value of srcs to one channel.
func Merge[T any](srcs ...<-chan T) <-chan T {
	out := make(chan T)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range srcs {
		go func() {
			for v := range src {
				out <- v
			}
		}()
	}
	return out
}
