package controller

import (
	"context"
	"time"
)

// Trigger is an external request to look at a key (a webhook, a cron).
type Trigger struct {
	Key    string
	Reason string
}

// watchTriggers enqueues keys from an external source, checking with a
// bounded lookup that the key still exists.
func (c *Controller) watchTriggers(ctx context.Context, src <-chan Trigger, exists func(context.Context, string) bool) {
	for t := range src {
		lookupCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel() // HAZ defer-in-infinite-loop
		if !exists(lookupCtx, t.Key) {
			c.log.Printf("%s: trigger for unknown key %s (%s)", c.name, t.Key, t.Reason)
			continue
		}
		c.queue.Add(t.Key)
	}
}

// pumpTriggers is the fixed loop: each lookup context is cancelled at the
// end of its own iteration, and the loop ends with ctx.
func (c *Controller) pumpTriggers(ctx context.Context, src <-chan Trigger, exists func(context.Context, string) bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case t, ok := <-src:
			if !ok {
				return
			}
			if c.lookup(ctx, t.Key, exists) {
				c.queue.Add(t.Key)
			}
		}
	}
}

func (c *Controller) lookup(ctx context.Context, key string, exists func(context.Context, string) bool) bool {
	lookupCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return exists(lookupCtx, key)
}

// serveTriggers runs pumpTriggers until ctx ends and then drains nothing:
// the producer owns and closes src.
func (c *Controller) serveTriggers(ctx context.Context, src <-chan Trigger, exists func(context.Context, string) bool) {
	defer c.trace("trigger pump")()
	c.pumpTriggers(ctx, src, exists)
}
