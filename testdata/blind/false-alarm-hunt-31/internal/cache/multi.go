package cache

import (
	"context"
	"errors"
	"sync"

	"example.com/fah31/api"
)

type listResult struct {
	source int
	objs   []*api.Object
	err    error
}

// ListFrom lists several clusters concurrently and merges the results,
// returning whatever it has when ctx expires.
func ListFrom(ctx context.Context, lws []ListWatcher) ([]*api.Object, error) {
	results := make(chan listResult, len(lws))
	defer close(results) // HAZ defer-close-chan-with-sender
	for n, lw := range lws {
		go func() {
			objs, err := lw.List(ctx)
			results <- listResult{source: n, objs: objs, err: err}
		}()
	}
	var all []*api.Object
	for range lws {
		select {
		case r := <-results:
			if r.err != nil {
				return nil, r.err
			}
			all = append(all, r.objs...)
		case <-ctx.Done():
			return all, ctx.Err()
		}
	}
	return all, nil
}

// ListAll lists several clusters concurrently. The channel is buffered for
// every sender and never closed, so early returns leave no goroutine blocked
// and no send can hit a closed channel.
func ListAll(ctx context.Context, lws []ListWatcher) ([]*api.Object, error) {
	results := make(chan listResult, len(lws))
	for n, lw := range lws {
		go func() {
			objs, err := lw.List(ctx)
			results <- listResult{source: n, objs: objs, err: err}
		}()
	}
	var all []*api.Object
	for range lws {
		select {
		case r := <-results:
			if r.err != nil {
				return nil, r.err
			}
			all = append(all, r.objs...)
		case <-ctx.Done():
			return all, ctx.Err()
		}
	}
	return all, nil
}

// ListJoined lists all clusters, waits for every lister, and only then
// closes the channel it ranges over.
func ListJoined(ctx context.Context, lws []ListWatcher) ([]*api.Object, error) {
	results := make(chan listResult)
	var wg sync.WaitGroup
	for n, lw := range lws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			objs, err := lw.List(ctx)
			results <- listResult{source: n, objs: objs, err: err}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var all []*api.Object
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		all = append(all, r.objs...)
	}
	return all, errors.Join(errs...)
}
