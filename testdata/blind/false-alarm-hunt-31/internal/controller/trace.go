package controller

import (
	"context"
	"fmt"
	"time"

	"example.com/fah31/api"
)

// trace logs the start of op and returns the func that logs its end.
func (c *Controller) trace(op string) func() {
	start := time.Now()
	c.log.Printf("%s: begin %s", c.name, op)
	return func() {
		c.log.Printf("%s: end %s after %s", c.name, op, time.Since(start))
	}
}

// ResyncAll queues every cached key again.
func (c *Controller) ResyncAll() int {
	defer c.trace("resync all")()
	objs := c.informer.Store().List()
	for _, o := range objs {
		c.queue.Add(api.KeyOf(o))
	}
	return len(objs)
}

// Finalize runs the reconciler for a key that is being deleted and reports
// whether the object is gone from the cache afterwards.
func (c *Controller) Finalize(ctx context.Context, key string) (bool, error) {
	defer c.trace("finalize " + key) // HAZ defer-func-result-not-called
	if _, err := c.safeReconcile(ctx, key); err != nil {
		return false, fmt.Errorf("finalize %s: %w", key, err)
	}
	_, exists := c.informer.Store().Get(key)
	return !exists, nil
}

// Requeue puts key back immediately, tracing the call.
func (c *Controller) Requeue(key string) {
	end := c.trace("requeue " + key)
	defer end()
	c.queue.Forget(key)
	c.queue.Add(key)
}
