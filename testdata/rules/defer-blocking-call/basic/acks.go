package fixture

import (
	"errors"
	"sync/atomic"
)

type ackClient struct {
	outstanding atomic.Int64
	acked       chan struct{}
	tokens      chan struct{}
}

func newAckClient() *ackClient {
	return &ackClient{acked: make(chan struct{}, 64), tokens: make(chan struct{}, 4)}
}

// onAck wakes a waiter if there is one: the send never waits, so it is no acquire.
func (c *ackClient) onAck() {
	c.outstanding.Add(-1)
	select {
	case c.acked <- struct{}{}:
	default:
	}
}

func (c *ackClient) awaitAcks() {
	for c.outstanding.Load() > 0 {
		<-c.acked
	}
}

func (c *ackClient) send(op int) error {
	if op < 0 {
		return errors.New("bad op")
	}
	c.outstanding.Add(1)
	return nil
}

// The deferred wait blocks until the server has acknowledged every op.
func (c *ackClient) sendBatch(ops []int) error {
	defer c.awaitAcks() // want `deferred c\.awaitAcks\(\) → ackClient\.awaitAcks → <-c\.acked \(line \d+\) blocks until a value is sent or the channel is closed`
	for _, op := range ops {
		if err := c.send(op); err != nil {
			return err
		}
	}
	return nil
}

// A try-acquire of a token does something with the outcome: the channel is a semaphore, and the
// deferred receive gives the token back.
func (c *ackClient) tryAcquire() bool {
	select {
	case c.tokens <- struct{}{}:
		return true
	default:
		return false
	}
}

func (c *ackClient) release() { <-c.tokens }

func (c *ackClient) limited(op int) error {
	if !c.tryAcquire() {
		return errors.New("busy")
	}
	defer c.release()
	return c.send(op)
}
