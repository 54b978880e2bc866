//go:build go1.21

package controller

import (
	"context"
	"sync"
	"sync/atomic"

	"example.com/fah25/api"
	"example.com/fah25/internal/cache"
)

// EnqueueNamespaces requeues every object of the given namespaces, one goroutine per namespace.
func (c *Controller) EnqueueNamespaces(ctx context.Context, namespaces []string) int {
	var (
		wg    sync.WaitGroup
		total atomic.Int64
	)
	for _, ns := range namespaces {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			objs, err := c.store.ByIndex(cache.NamespaceIndex, ns)
			if err != nil {
				c.logf("controller %s: list namespace %s: %v", c.name, ns, err)
				return
			}
			for _, obj := range objs {
				if ctx.Err() != nil {
					return
				}
				c.enqueue(obj)
				total.Add(1)
			}
		}()
		c.logf("controller %s: requeue of namespace %s started", c.name, ns)
	}
	wg.Wait()
	return int(total.Load())
}

// ForgetNamespaces clears the retry history of every object in the given namespaces.
func (c *Controller) ForgetNamespaces(namespaces []string) {
	var wg sync.WaitGroup
	for _, ns := range namespaces {
		ns := ns
		wg.Add(1)
		go func() {
			defer wg.Done()
			objs, err := c.store.ByIndex(cache.NamespaceIndex, ns)
			if err != nil {
				return
			}
			for _, obj := range objs {
				if key, err := api.KeyFunc(obj); err == nil {
					c.queue.Forget(key)
				}
			}
		}()
		c.logf("controller %s: forgetting retries in %s", c.name, ns)
	}
	wg.Wait()
}

// RequeueKeys adds keys concurrently in batches of batchSize.
func (c *Controller) RequeueKeys(keys []string, batchSize int) {
	if batchSize <= 0 {
		batchSize = len(keys)
	}
	var wg sync.WaitGroup
	for start := 0; start < len(keys); start += batchSize {
		end := min(start+batchSize, len(keys))
		wg.Add(1)
		go func(batch []string) {
			defer wg.Done()
			for _, k := range batch {
				c.queue.Add(k)
			}
		}(keys[start:end])
		c.logf("controller %s: queued batch %d-%d", c.name, start, end)
	}
	wg.Wait()
}
