package outsiderecover

import (
	"fmt"
	"sync"
)

// plainGroup is the module's own errgroup with no recover in its goroutines.
type plainGroup struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func (g *plainGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			g.err = err
			g.mu.Unlock()
		}
	}()
}

func (g *plainGroup) Wait() error {
	g.wg.Wait()
	return g.err
}

// safeGroup recovers in each goroutine it starts, through a helper.
type safeGroup struct{ wg sync.WaitGroup }

func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("panic: %v", r)
	}
}

func (g *safeGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		var err error
		defer recoverTo(&err)
		err = f()
	}()
}

// The group's goroutines do not recover: a panic in a task still ends the process.
func runPlain(tasks []func() error) (err error) {
	defer recoverTo(&err)
	var g plainGroup
	for _, t := range tasks {
		g.Go(func() error { return t() }) // want `runPlain protects itself with a deferred recover`
	}
	return g.Wait()
}

// The group recovers inside each goroutine.
func runSafe(tasks []func() error) (err error) {
	defer recoverTo(&err)
	var g safeGroup
	for _, t := range tasks {
		g.Go(func() error { return t() })
	}
	g.wg.Wait()
	return nil
}
