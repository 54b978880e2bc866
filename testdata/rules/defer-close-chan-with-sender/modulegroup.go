package closechan

import (
	"context"
	"sync"
)

// taskGroup is the module's own errgroup: Go runs f in a goroutine and records its error.
type taskGroup struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

func (g *taskGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() { g.err = err })
		}
	}()
}

func (g *taskGroup) Wait() error {
	g.wg.Wait()
	return g.err
}

// The goroutines the group starts send on out; the return on ctx.Done closes it under them.
func gather(ctx context.Context, fns []func(context.Context) (int, error)) []int {
	var g taskGroup
	out := make(chan int, len(fns))
	defer close(out) // want `defer close\(out\) in gather closes out when gather returns, but the goroutine started on line \d+ can still send on it`
	for _, fn := range fns {
		g.Go(func() error {
			v, err := fn(ctx)
			if err != nil {
				return err
			}
			out <- v
			return nil
		})
	}
	var res []int
	for range fns {
		select {
		case v := <-out:
			res = append(res, v)
		case <-ctx.Done():
			return res
		}
	}
	return res
}

// The group is waited for before the close.
func gatherAll(ctx context.Context, fns []func(context.Context) (int, error)) ([]int, error) {
	var g taskGroup
	out := make(chan int, len(fns))
	defer close(out)
	for _, fn := range fns {
		g.Go(func() error {
			v, err := fn(ctx)
			if err != nil {
				return err
			}
			out <- v
			return nil
		})
	}
	err := g.Wait()
	res := make([]int, 0, len(out))
	for len(out) > 0 {
		res = append(res, <-out)
	}
	return res, err
}
