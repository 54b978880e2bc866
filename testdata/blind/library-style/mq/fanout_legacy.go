//go:build go1.21

package mq

import (
	"context"
	"errors"
	"sync"
)

// consumeQueue subscribes to one queue and dispatches until ctx ends.
func (c *Client) consumeQueue(ctx context.Context, queue string, h Handler) {
	cs := &Consumer{client: c, queue: queue, handler: h, deliveries: make(chan *Delivery, 16), stop: make(chan struct{})}
	go func() {
		<-ctx.Done()
		close(cs.stop)
	}()
	cs.consumeLoop(ctx)
}

// ConsumeQueues starts one consumer goroutine per queue.
func (c *Client) ConsumeQueues(ctx context.Context, queues []string, h Handler) {
	for _, q := range queues {
		go func() { // HAZ loop-var-capture
			c.consumeQueue(ctx, q, h)
		}()
		c.logger.Printf("mq: consuming %s", q)
	}
}

// ConsumeQueuesBound starts one consumer goroutine per queue.
func (c *Client) ConsumeQueuesBound(ctx context.Context, queues []string, h Handler) {
	for _, q := range queues {
		go func(queue string) {
			c.consumeQueue(ctx, queue, h)
		}(q)
		c.logger.Printf("mq: consuming %s", q)
	}
}

// PublishFanout publishes every body concurrently and joins the errors.
func (c *Client) PublishFanout(ctx context.Context, queue string, bodies [][]byte) error {
	errs := make([]error, len(bodies))
	var wg sync.WaitGroup
	inflight := 0
	for i, b := range bodies {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = c.PublishConfirmed(ctx, queue, b)
		}()
		inflight++
	}
	c.logger.Printf("mq: fanout of %d messages to %s", inflight, queue)
	wg.Wait()
	return errors.Join(errs...)
}

// PublishFanoutCopied publishes every body concurrently and joins the errors.
func (c *Client) PublishFanoutCopied(ctx context.Context, queue string, bodies [][]byte) error {
	errs := make([]error, len(bodies))
	var wg sync.WaitGroup
	for i, b := range bodies {
		i, b := i, b
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.PublishConfirmed(ctx, queue, b)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DeclareAllParallel declares queues concurrently, one channel per queue.
func (c *Client) DeclareAllParallel(queues []string) error {
	errc := make(chan error, len(queues))
	for _, q := range queues {
		name := q
		go func() {
			errc <- c.DeclareQueues(name)
		}()
	}
	var errs []error
	for range queues {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}
