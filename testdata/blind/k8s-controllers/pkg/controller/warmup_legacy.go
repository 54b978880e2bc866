//go:build go1.21

// This file is still built with go1.21 semantics: it is shared with the
// release branch whose toolchain is pinned to 1.21.

package controller

import (
	"context"
	"errors"
	"sync"

	"example.com/k8scontrollers/pkg/api"
)

// WarmAll reconciles every key once, concurrently, before the workers start.
func (r *WidgetReconciler) WarmAll(ctx context.Context, keys []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, key := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, errs[i] = r.Reconcile(ctx, key)
		}()
		r.log.Printf("warm-up: scheduled %s", key)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DeleteAll deletes keys concurrently and joins the errors.
func (r *WidgetReconciler) DeleteAll(ctx context.Context, keys []string) error {
	errc := make(chan error, len(keys))
	pending := 0
	for _, key := range keys {
		go func() { // HAZ loop-var-capture
			errc <- r.client.Delete(ctx, key)
		}()
		pending++
	}
	var errs []error
	for ; pending > 0; pending-- {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Prefetch reads keys concurrently into a map; missing keys are skipped.
func (r *WidgetReconciler) Prefetch(ctx context.Context, keys []string) map[string]*api.Widget {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]*api.Widget, len(keys))
	)
	for _, key := range keys {
		wg.Add(1)
		go func(key string) {
			defer wg.Done()
			w, err := r.client.Get(ctx, key)
			if err != nil {
				return
			}
			mu.Lock()
			out[key] = w
			mu.Unlock()
		}(key)
	}
	wg.Wait()
	return out
}

// RequeueAll hands every key to enqueue from its own goroutine and waits.
func (r *WidgetReconciler) RequeueAll(keys []string, enqueue func(string)) {
	var wg sync.WaitGroup
	for _, key := range keys {
		key := key
		wg.Add(1)
		go func() {
			defer wg.Done()
			enqueue(key)
		}()
	}
	wg.Wait()
}
