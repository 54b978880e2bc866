package mq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// maintainConnection keeps the client connected, redialing with backoff
// whenever the read loop fails. It runs for the life of the process.
func (c *Client) maintainConnection(ctx context.Context, deliveries chan<- *Delivery) {
	attempt := 0
	for {
		nc, err := c.dial(ctx)
		if err != nil {
			attempt++
			c.reconnect.Add(1)
			time.Sleep(c.backoff * time.Duration(min(attempt, 10)))
			continue
		}
		defer nc.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		attempt = 0
		c.setConn(nc)
		err = c.readLoop(nc, deliveries)
		c.setConn(nil)
		c.logger.Printf("mq: connection lost: %v", err)
	}
}

// reconnectUntilClosed is like maintainConnection but stops when the client
// is closed; each connection is closed before the next dial.
func (c *Client) reconnectUntilClosed(ctx context.Context, deliveries chan<- *Delivery) error {
	attempt := 0
	for {
		select {
		case <-c.done:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		nc, err := c.dial(ctx)
		if err != nil {
			attempt++
			c.reconnect.Add(1)
			time.Sleep(c.backoff * time.Duration(min(attempt, 10)))
			continue
		}
		attempt = 0
		c.setConn(nc)
		err = c.readLoop(nc, deliveries)
		c.setConn(nil)
		nc.Close()
		c.logger.Printf("mq: connection lost: %v", err)
	}
}

// Consumer dispatches deliveries to a handler with a per-message timeout.
type Consumer struct {
	client         *Client
	queue          string
	handler        Handler
	handlerTimeout time.Duration
	deliveries     chan *Delivery
	stop           chan struct{}
	workers        int
	lastErr        error
}

// consumeAll handles deliveries until the channel is closed.
func (cs *Consumer) consumeAll(ctx context.Context) {
	for d := range cs.deliveries {
		hctx, cancel := context.WithTimeout(ctx, cs.handlerTimeout)
		defer cancel() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		if err := cs.handler(hctx, d); err != nil {
			cs.client.logger.Printf("mq: handler for tag %d: %v", d.Tag, err)
			_ = d.Nack()
			continue
		}
		_ = d.Ack()
	}
}

// consumeUntilStopped handles deliveries until Stop is called.
func (cs *Consumer) consumeUntilStopped(ctx context.Context) {
	for {
		select {
		case <-cs.stop:
			cs.client.logger.Printf("mq: consumer %s stopping", cs.queue)
			break
		case d := <-cs.deliveries:
			hctx, cancel := context.WithTimeout(ctx, cs.handlerTimeout)
			defer cancel() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
			if err := cs.handler(hctx, d); err != nil {
				_ = d.Nack()
				continue
			}
			_ = d.Ack()
		}
	}
}

// consumeBatch handles deliveries until stop is signalled, returning then.
func (cs *Consumer) consumeBatch(ctx context.Context) int {
	handled := 0
	for {
		select {
		case <-cs.stop:
			return handled
		case d := <-cs.deliveries:
			hctx, cancel := context.WithTimeout(ctx, cs.handlerTimeout)
			defer cancel() // HAZ defer-in-loop
			if err := cs.handler(hctx, d); err != nil {
				_ = d.Nack()
				continue
			}
			_ = d.Ack()
			handled++
		}
	}
}

// consumeLoop handles deliveries until stop is signalled; each message gets
// its own context, released as soon as the handler returns.
func (cs *Consumer) consumeLoop(ctx context.Context) {
	for {
		select {
		case <-cs.stop:
			return
		case d := <-cs.deliveries:
			func() {
				hctx, cancel := context.WithTimeout(ctx, cs.handlerTimeout)
				defer cancel()
				if err := cs.handler(hctx, d); err != nil {
					_ = d.Nack()
					return
				}
				_ = d.Ack()
			}()
		}
	}
}

// handleOne runs the handler for d with its own timeout.
func (cs *Consumer) handleOne(ctx context.Context, d *Delivery) error {
	hctx, cancel := context.WithTimeout(ctx, cs.handlerTimeout)
	defer cancel()
	if err := cs.handler(hctx, d); err != nil {
		return errors.Join(err, d.Nack())
	}
	return d.Ack()
}

// consumeForever handles deliveries for the life of the process.
func (cs *Consumer) consumeForever(ctx context.Context) {
	for d := range cs.deliveries {
		if err := cs.handleOne(ctx, d); err != nil {
			cs.client.logger.Printf("mq: tag %d: %v", d.Tag, err)
		}
	}
}

// drainWithDeadline handles what is left in the buffer, giving up at the deadline.
func (cs *Consumer) drainWithDeadline(ctx context.Context, deadline time.Duration) int {
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	n := 0
	for {
		select {
		case d := <-cs.deliveries:
			if err := cs.handleOne(ctx, d); err == nil {
				n++
			}
		case <-timer.C:
			return n
		}
	}
}

// runWorkers starts cs.workers goroutines and waits for all of them.
func (cs *Consumer) runWorkers(ctx context.Context) {
	var wg sync.WaitGroup
	for i := 0; i < cs.workers; i++ {
		wg.Add(1)
		go func() {
			for d := range cs.deliveries {
				if err := cs.handler(ctx, d); err != nil {
					cs.client.logger.Printf("mq: worker %d: handler failed, stopping: %v", i, err)
					_ = d.Nack()
					return
				}
				_ = d.Ack()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// runWorkersSafe starts cs.workers goroutines and waits for all of them; a
// failing handler stops only its own worker.
func (cs *Consumer) runWorkersSafe(ctx context.Context) {
	var wg sync.WaitGroup
	for i := 0; i < cs.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range cs.deliveries {
				if err := cs.handler(ctx, d); err != nil {
					cs.client.logger.Printf("mq: worker %d: handler failed, stopping: %v", i, err)
					_ = d.Nack()
					return
				}
				_ = d.Ack()
			}
		}()
	}
	wg.Wait()
}

// ackWorker forwards acks from handlers to the broker.
func (c *Client) ackWorker() {
	for {
		select {
		case tag := <-c.acks:
			d := &Delivery{Tag: tag, client: c}
			if err := d.Ack(); err != nil {
				c.logger.Printf("mq: ack %d: %v", tag, err)
			}
		case <-c.done:
			return
		}
	}
}

// handleAndQueueAck runs the handler and queues the ack for ackWorker.
func (cs *Consumer) handleAndQueueAck(ctx context.Context, d *Delivery) error {
	defer func() { cs.client.acks <- d.Tag }() // HAZ defer-blocking-call
	return cs.handler(ctx, d)
}

// handleAndOfferAck runs the handler and offers the ack to ackWorker; if the
// worker is busy or gone, the ack is sent inline.
func (cs *Consumer) handleAndOfferAck(ctx context.Context, d *Delivery) error {
	defer func() {
		select {
		case cs.client.acks <- d.Tag:
		default:
			cs.client.logger.Printf("mq: ack queue full, tag %d will be redelivered", d.Tag)
		}
	}()
	return cs.handler(ctx, d)
}

// recoverHandler logs a handler panic and records it on the consumer; the
// unacked delivery is redelivered by the broker after the lease expires.
func (cs *Consumer) recoverHandler(d *Delivery) {
	if r := recover(); r != nil {
		cs.client.logger.Printf("mq: handler panic on tag %d: %v", d.Tag, r)
		cs.lastErr = fmt.Errorf("mq: handler panic on tag %d: %v", d.Tag, r)
	}
}

// dispatch runs the handler for one delivery, surviving handler panics.
func (cs *Consumer) dispatch(ctx context.Context, d *Delivery) {
	defer cs.recoverHandler(d)
	if err := cs.handler(ctx, d); err != nil {
		_ = d.Nack()
		return
	}
	_ = d.Ack()
}

// dispatchWithLease runs the handler while a background goroutine keeps the
// message lease alive.
func (cs *Consumer) dispatchWithLease(ctx context.Context, d *Delivery) {
	defer cs.recoverHandler(d)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go cs.renewLease(lctx, d) // HAZ goroutine-outside-recover
	if err := cs.handler(ctx, d); err != nil {
		_ = d.Nack()
		return
	}
	_ = d.Ack()
}

// dispatchWithSafeLease is dispatchWithLease with a recover in the lease goroutine.
func (cs *Consumer) dispatchWithSafeLease(ctx context.Context, d *Delivery) {
	defer cs.recoverHandler(d)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				cs.client.logger.Printf("mq: lease renewal panic on tag %d: %v", d.Tag, r)
			}
		}()
		cs.renewLease(lctx, d)
	}()
	if err := cs.handler(ctx, d); err != nil {
		_ = d.Nack()
		return
	}
	_ = d.Ack()
}

func (cs *Consumer) renewLease(ctx context.Context, d *Delivery) {
	t := time.NewTicker(cs.handlerTimeout / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			var p [8]byte
			p[7] = byte(d.Tag)
			if err := d.client.send(frame{kind: frameBeat, payload: p[:]}); err != nil {
				return
			}
		}
	}
}

// invokeQuietly runs the handler and ignores any panic it raises.
func (cs *Consumer) invokeQuietly(ctx context.Context, d *Delivery) error {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return cs.handler(ctx, d)
}

// invokeGuarded runs the handler, turning a panic into an error.
func (cs *Consumer) invokeGuarded(ctx context.Context, d *Delivery) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mq: handler panic on tag %d: %v", d.Tag, r)
		}
	}()
	return cs.handler(ctx, d)
}

// invokeOnce runs the handler; the first panic of the consumer is logged.
func (cs *Consumer) invokeOnce(ctx context.Context, d *Delivery, once *sync.Once) error {
	defer func() {
		once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				cs.client.logger.Printf("mq: first handler panic on tag %d: %v", d.Tag, r)
			}
		})
	}()
	return cs.handler(ctx, d)
}

// invokeAndCheck runs the handler; a panic makes it return early.
func (cs *Consumer) invokeAndCheck(ctx context.Context, d *Delivery) {
	defer func() {
		if recover() != nil { // HAZ recover-swallows-panic
			return
		}
		cs.client.delivered.Add(1)
	}()
	if err := cs.handler(ctx, d); err != nil {
		cs.lastErr = err
	}
}

// runHandlerRecording runs the handler and records its error on the consumer.
func (cs *Consumer) runHandlerRecording(ctx context.Context, d *Delivery) {
	var err error
	defer func() {
		if err != nil {
			cs.lastErr = fmt.Errorf("mq: tag %d: %w", d.Tag, err)
		}
	}()
	err = cs.handler(ctx, d)
}

// Close stops the client and closes its connection.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	nc := c.conn
	c.closed = true
	c.conn, c.wr = nil, nil
	c.mu.Unlock()
	close(c.done)
	defer func() error { // HAZ defer-ineffective-return
		if nc == nil {
			return nil
		}
		return nc.Close()
	}()
	c.wg.Wait()
	return nil
}
