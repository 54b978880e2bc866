package cache

import (
	"context"
	"fmt"

	"example.com/fah25/api"
)

type listResult struct {
	objs []api.Object
	rv   string
	err  error
}

// ListAll lists from every ListWatcher concurrently and fails fast on the first error.
func ListAll(ctx context.Context, lws []ListWatcher) ([]api.Object, error) {
	results := make(chan listResult, len(lws))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, lw := range lws {
		go func() {
			objs, rv, err := lw.List(ctx)
			results <- listResult{objs: objs, rv: rv, err: err}
		}()
	}
	var all []api.Object
	for range lws {
		r := <-results
		if r.err != nil {
			return nil, fmt.Errorf("cache: list: %w", r.err)
		}
		all = append(all, r.objs...)
	}
	return all, nil
}

// ListEach lists from every ListWatcher concurrently and reports every error.
func ListEach(ctx context.Context, lws []ListWatcher) (map[int][]api.Object, map[int]error) {
	type indexed struct {
		i int
		listResult
	}
	results := make(chan indexed, len(lws))
	for i, lw := range lws {
		go func() {
			objs, rv, err := lw.List(ctx)
			results <- indexed{i, listResult{objs: objs, rv: rv, err: err}}
		}()
	}
	objs := make(map[int][]api.Object, len(lws))
	errs := make(map[int]error)
	for range lws {
		r := <-results
		if r.err != nil {
			errs[r.i] = r.err
			continue
		}
		objs[r.i] = r.objs
	}
	return objs, errs
}
