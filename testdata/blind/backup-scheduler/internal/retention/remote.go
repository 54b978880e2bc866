//go:build go1.21

// This file predates the module's move to Go 1.22; its build line keeps the
// language version it was written for.

package retention

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/backupsched/internal/trace"
)

// Deleter removes objects from remote storage.
type Deleter interface {
	Delete(ctx context.Context, key string) error
}

// PruneRemote deletes keys from the object store in parallel.
func PruneRemote(ctx context.Context, store Deleter, keys []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, key := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := store.Delete(ctx, key); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("delete %s: %w", key, err))
				mu.Unlock()
			}
		}()
		trace.Mark("prune: queued remote delete of %s", key)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// PruneRemoteKeys is PruneRemote for callers that also want the keys that
// were deleted successfully.
func PruneRemoteKeys(ctx context.Context, store Deleter, keys []string) ([]string, error) {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		deleted []string
		errs    []error
	)
	for _, key := range keys {
		key := key
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := store.Delete(ctx, key)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("delete %s: %w", key, err))
				return
			}
			deleted = append(deleted, key)
		}()
	}
	wg.Wait()
	return deleted, errors.Join(errs...)
}

// CheckRemote reports which keys exist, checking up to four at a time.
func CheckRemote(ctx context.Context, exists func(context.Context, string) bool, keys []string) map[string]bool {
	found := make(map[string]bool, len(keys))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, key := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func(key string) {
			defer wg.Done()
			ok := exists(ctx, key)
			<-sem
			mu.Lock()
			found[key] = ok
			mu.Unlock()
		}(key)
	}
	wg.Wait()
	return found
}
