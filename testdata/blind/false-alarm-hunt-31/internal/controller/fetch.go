package controller

import (
	"context"
	"sync"

	"example.com/fah31/api"
)

// Getter fetches one object from the API server.
type Getter func(ctx context.Context, key string) (*api.Object, error)

// prefetch warms the cache for keys in parallel; failed keys stay nil.
func (c *Controller) prefetch(ctx context.Context, keys []string, get Getter) []*api.Object {
	var wg sync.WaitGroup
	out := make([]*api.Object, len(keys))
	for i, key := range keys {
		wg.Add(1)
		go func() {
			obj, err := get(ctx, key)
			if err != nil {
				c.log.Printf("%s: prefetch %s: %v", c.name, key, err)
				return
			}
			out[i] = obj
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// Warm is prefetch with the Done deferred, so every path signals.
func (c *Controller) Warm(ctx context.Context, keys []string, get Getter) int {
	var wg sync.WaitGroup
	out := make([]*api.Object, len(keys))
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obj, err := get(ctx, key)
			if err != nil {
				c.log.Printf("%s: warm %s: %v", c.name, key, err)
				return
			}
			out[i] = obj
		}()
	}
	wg.Wait()
	n := 0
	for _, o := range out {
		if o != nil {
			c.informer.Store().Add(o)
			n++
		}
	}
	return n
}

// countKinds tallies label values from a stream; Done is the last statement
// of a goroutine that has no early return and calls nothing that can panic.
func countKinds(objs <-chan *api.Object, label string) map[string]int {
	counts := make(map[string]int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for o := range objs {
			counts[o.Labels[label]]++
		}
		wg.Done()
	}()
	wg.Wait()
	return counts
}

// fetchOne gets key while the caller keeps working; the parent always
// receives, on every path, before returning.
func (c *Controller) fetchOne(ctx context.Context, key string, get Getter) (*api.Object, bool, error) {
	type reply struct {
		obj *api.Object
		err error
	}
	ch := make(chan reply)
	go func() {
		obj, err := get(ctx, key)
		ch <- reply{obj, err}
	}()
	_, cached := c.informer.Store().Get(key)
	r := <-ch
	return r.obj, cached, r.err
}

// fetchWithDeadline gives up on slow gets; the reply channel has room for
// the one send, so an abandoned getter does not block.
func (c *Controller) fetchWithDeadline(ctx context.Context, key string, get Getter) (*api.Object, error) {
	ch := make(chan *api.Object, 1)
	errc := make(chan error, 1)
	go func() {
		obj, err := get(ctx, key)
		if err != nil {
			errc <- err
			return
		}
		ch <- obj
	}()
	select {
	case obj := <-ch:
		return obj, nil
	case err := <-errc:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fetchIfCached refreshes key from the API server, but only for keys the
// cache already knows.
func (c *Controller) fetchIfCached(ctx context.Context, key string, get Getter) (*api.Object, error) {
	type reply struct {
		obj *api.Object
		err error
	}
	ch := make(chan reply)
	go func() {
		obj, err := get(ctx, key)
		ch <- reply{obj, err} // HAZ goroutine-blocked-send
	}()
	if _, cached := c.informer.Store().Get(key); !cached {
		return nil, nil
	}
	r := <-ch
	return r.obj, r.err
}
