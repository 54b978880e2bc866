package dispatch

import (
	"context"
	"fmt"
	"sync"
)

// Task is one unit of work in a batch.
type Task[T any] struct {
	ID string
	Fn func(context.Context) (T, error)
}

// Result is the outcome of one Task.
type Result[T any] struct {
	ID  string
	Val T
	Err error
}

// RunAll runs every task concurrently and returns the results in order.
func RunAll[T any](ctx context.Context, tasks []Task[T]) []Result[T] {
	results := make([]Result[T], len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			v, err := task.Fn(ctx)
			if err != nil {
				results[i] = Result[T]{ID: task.ID, Err: fmt.Errorf("task %s: %w", task.ID, err)}
				return
			}
			results[i] = Result[T]{ID: task.ID, Val: v}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return results
}

// RunGuarded runs every task and converts a panic into an error.
func RunGuarded[T any](ctx context.Context, tasks []Task[T]) (res []Result[T], err error) {
	defer Recover(&err)
	res = make([]Result[T], len(tasks))
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for i, task := range tasks {
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			v, terr := task.Fn(ctx)
			res[i] = Result[T]{ID: task.ID, Val: v, Err: terr}
		}()
	}
	wg.Wait()
	return res, nil
}

// RunIsolated is RunGuarded where every goroutine recovers its own panic
// into its own result.
func RunIsolated[T any](ctx context.Context, tasks []Task[T]) (res []Result[T], err error) {
	defer Recover(&err)
	res = make([]Result[T], len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer Recover(&res[i].Err)
			res[i].ID = task.ID
			res[i].Val, res[i].Err = task.Fn(ctx)
		}()
	}
	wg.Wait()
	return res, nil
}

// RunLimited runs tasks with at most n in flight; the semaphore slot and
// the WaitGroup are both released by defers, on every path.
func RunLimited[T any](ctx context.Context, n int, tasks []Task[T]) []Result[T] {
	results := make([]Result[T], len(tasks))
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	for i, task := range tasks {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			results[i] = Result[T]{ID: task.ID, Err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v, err := task.Fn(ctx)
			results[i] = Result[T]{ID: task.ID, Val: v, Err: err}
		}()
	}
	wg.Wait()
	return results
}
