//go:build go1.21

package pipeline

import (
	"context"
	"sync"
)

// Task is a named background task kept for the v1 scheduler API.
type Task struct {
	Name string
	Run  func(context.Context) error
}

// Group tracks the tasks started by StartAll.
type Group struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	errs    map[string]error
	started int
}

func (g *Group) record(name string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.errs == nil {
		g.errs = map[string]error{}
	}
	g.errs[name] = err
}

// Wait blocks until every task has finished and returns their errors.
func (g *Group) Wait() map[string]error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.errs
}

// StartAll starts every task on its own goroutine.
func StartAll(ctx context.Context, tasks []Task) *Group {
	g := &Group{}
	for _, t := range tasks {
		g.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer g.wg.Done()
			g.record(t.Name, t.Run(ctx))
		}()
		g.started++
	}
	return g
}

// StartEach starts every task on its own goroutine, passing the task in.
func StartEach(ctx context.Context, tasks []Task) *Group {
	g := &Group{}
	for _, t := range tasks {
		g.wg.Add(1)
		go func(t Task) {
			defer g.wg.Done()
			g.record(t.Name, t.Run(ctx))
		}(t)
		g.started++
	}
	return g
}
