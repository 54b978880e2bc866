package mq

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Channel is a logical channel multiplexed over the client connection.
type Channel struct {
	id     uint16
	client *Client
	open   bool
}

// OpenChannel opens a new logical channel.
func (c *Client) OpenChannel() (*Channel, error) {
	c.mu.Lock()
	if c.wr == nil {
		c.mu.Unlock()
		return nil, ErrNotConnected
	}
	c.seq++
	id := uint16(c.seq)
	c.mu.Unlock()
	if err := c.send(frame{kind: frameOpen, channel: id}); err != nil {
		return nil, err
	}
	return &Channel{id: id, client: c, open: true}, nil
}

// Close marks the channel closed locally; the broker reaps it on the next heartbeat.
func (ch *Channel) Close() error {
	if !ch.open {
		return nil
	}
	ch.open = false
	return nil
}

func (ch *Channel) declare(queue string) error {
	return ch.client.send(frame{kind: frameOpen, channel: ch.id, payload: []byte(queue)})
}

// DeclareQueue declares queue on a short-lived channel.
func (c *Client) DeclareQueue(queue string) error {
	ch, err := c.OpenChannel()
	defer ch.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("mq: declare %s: %w", queue, err)
	}
	return ch.declare(queue)
}

// DeclareQueues declares every queue on one channel.
func (c *Client) DeclareQueues(queues ...string) error {
	ch, err := c.OpenChannel()
	switch {
	case errors.Is(err, ErrNotConnected):
		return fmt.Errorf("mq: declare queues: %w", err)
	case err != nil:
		return err
	}
	defer ch.Close()
	for _, q := range queues {
		if err := ch.declare(q); err != nil {
			return fmt.Errorf("mq: declare %s: %w", q, err)
		}
	}
	return nil
}

// DeclareOnEach declares every queue on its own short-lived channel.
func (c *Client) DeclareOnEach(queues ...string) error {
	for _, q := range queues {
		ch, err := c.OpenChannel()
		if err != nil {
			return err
		}
		defer ch.Close() // HAZ defer-in-loop
		if err := ch.declare(q); err != nil {
			return fmt.Errorf("mq: declare %s: %w", q, err)
		}
	}
	return nil
}

// PublishConfirmed publishes body and waits for the broker's confirm.
func (c *Client) PublishConfirmed(ctx context.Context, queue string, body []byte) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	confirm := make(chan error, 1)
	c.confirms[seq] = confirm
	c.mu.Unlock()

	payload := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint64(payload, seq)
	payload = append(payload, body...)
	if err := c.send(frame{kind: framePublish, payload: payload}); err != nil {
		c.dropConfirm(seq)
		return err
	}
	c.published.Add(1)
	select {
	case err := <-confirm:
		return err
	case <-ctx.Done():
		c.dropConfirm(seq)
		return ctx.Err()
	}
}

func (c *Client) dropConfirm(seq uint64) {
	c.mu.Lock()
	delete(c.confirms, seq)
	c.mu.Unlock()
}

// awaitConfirm blocks until the confirm for seq arrives.
func (c *Client) awaitConfirm(seq uint64) error {
	c.mu.RLock()
	ch := c.confirms[seq]
	c.mu.RUnlock()
	if ch == nil {
		return fmt.Errorf("mq: no confirm registered for %d", seq)
	}
	return <-ch
}

// PublishAsync publishes body and waits for the confirm in the background,
// reporting the outcome unless ctx ends first.
func (c *Client) PublishAsync(ctx context.Context, queue string, body []byte) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.confirms[seq] = make(chan error, 1)
	c.mu.Unlock()

	result := make(chan error) // HAZ goroutine-blocked-send
	go func() {
		result <- c.awaitConfirm(seq)
	}()
	payload := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint64(payload, seq)
	if err := c.send(frame{kind: framePublish, payload: append(payload, body...)}); err != nil {
		return fmt.Errorf("mq: publish to %s: %w", queue, err)
	}
	c.published.Add(1)
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PublishAsyncSafe is PublishAsync whose waiter gives up when ctx ends.
func (c *Client) PublishAsyncSafe(ctx context.Context, queue string, body []byte) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.confirms[seq] = make(chan error, 1)
	c.mu.Unlock()

	result := make(chan error)
	go func() {
		err := c.awaitConfirm(seq)
		select {
		case result <- err:
		case <-ctx.Done():
		}
	}()
	payload := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint64(payload, seq)
	if err := c.send(frame{kind: framePublish, payload: append(payload, body...)}); err != nil {
		return fmt.Errorf("mq: publish to %s: %w", queue, err)
	}
	c.published.Add(1)
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// nextSeq reserves the next publish sequence number.
func (c *Client) nextSeq() (uint64, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.closed {
		return 0, ErrClosed
	}
	if c.wr == nil {
		c.mu.Unlock()
		return 0, ErrNotConnected
	}
	c.seq++
	s := c.seq
	c.mu.Unlock()
	return s, nil
}

// pendingConfirms returns how many publishes still wait for a confirm.
func (c *Client) pendingConfirms() (int, error) {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return 0, ErrClosed
	}
	n := len(c.confirms)
	c.mu.RUnlock()
	return n, nil
}

// Describe returns a human-readable summary of the connection.
func (c *Client) Describe() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	state := "disconnected"
	if c.IsConnected() { // HAZ lock-reentry-under-defer
		state = "connected"
	}
	return fmt.Sprintf("mq client %s: %s, %d pending confirms", c.addr, state, len(c.confirms))
}

// DescribeLocked is Describe built on the lock-free helper.
func (c *Client) DescribeLocked() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	state := "disconnected"
	if c.isConnectedLocked() {
		state = "connected"
	}
	return fmt.Sprintf("mq client %s: %s, %d pending confirms", c.addr, state, len(c.confirms))
}

// failPending fails every outstanding confirm with err.
func (c *Client) failPending(err error) {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	for seq, ch := range c.confirms {
		select {
		case ch <- err:
		default:
		}
		delete(c.confirms, seq)
	}
	c.lastErr = err
}

// resetPending fails every outstanding confirm with err.
func (c *Client) resetPending(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for seq, ch := range c.confirms {
		select {
		case ch <- err:
		default:
		}
		delete(c.confirms, seq)
	}
	c.lastErr = err
}

// RegisterCleanup registers fn to run after the last publish to queue.
func (c *Client) RegisterCleanup(queue string, fn func()) {
	c.mu.Lock()
	c.cleanups[queue] = fn
	c.mu.Unlock()
}

// PublishFinal publishes the last message to queue and runs its cleanup.
func (c *Client) PublishFinal(ctx context.Context, queue string, body []byte) error {
	c.mu.RLock()
	cleanup := c.cleanups[queue]
	c.mu.RUnlock()
	defer cleanup() // HAZ defer-nil-func
	return c.PublishConfirmed(ctx, queue, body)
}

// PublishFinalChecked publishes the last message to queue and runs its
// cleanup if one was registered.
func (c *Client) PublishFinalChecked(ctx context.Context, queue string, body []byte) error {
	c.mu.RLock()
	cleanup, ok := c.cleanups[queue]
	c.mu.RUnlock()
	if ok && cleanup != nil {
		defer cleanup()
	}
	return c.PublishConfirmed(ctx, queue, body)
}

// PublishLarge publishes a large body with heartbeats paused for the transfer.
func (c *Client) PublishLarge(ctx context.Context, queue string, body []byte) error {
	defer c.pauseHeartbeat() // HAZ defer-func-result-not-called
	return c.PublishConfirmed(ctx, queue, body)
}

// PublishLargeResuming publishes a large body with heartbeats paused for the transfer.
func (c *Client) PublishLargeResuming(ctx context.Context, queue string, body []byte) error {
	defer c.pauseHeartbeat()()
	return c.PublishConfirmed(ctx, queue, body)
}

// PublishBatch publishes every body; the OnBatchDone hook sees the outcome.
func (c *Client) PublishBatch(ctx context.Context, queue string, bodies [][]byte) error {
	var err error
	if c.hooks.OnBatchDone != nil {
		defer c.hooks.OnBatchDone(err) // HAZ defer-eager-evaluation
	}
	for _, b := range bodies {
		if err = c.PublishConfirmed(ctx, queue, b); err != nil {
			return err
		}
	}
	return nil
}

// PublishBatchReporting publishes every body; the OnBatchDone hook sees the outcome.
func (c *Client) PublishBatchReporting(ctx context.Context, queue string, bodies [][]byte) (err error) {
	if hook := c.hooks.OnBatchDone; hook != nil {
		defer func() { hook(err) }()
	}
	for _, b := range bodies {
		if err = c.PublishConfirmed(ctx, queue, b); err != nil {
			return err
		}
	}
	return nil
}

// PublishAndLogStats publishes bodies and logs the client counters afterwards.
func (c *Client) PublishAndLogStats(ctx context.Context, queue string, bodies [][]byte) error {
	defer c.Stats().Log(c.logger) // HAZ defer-call-chain
	for _, b := range bodies {
		if err := c.PublishConfirmed(ctx, queue, b); err != nil {
			return err
		}
	}
	return nil
}

// PublishAndLogFinalStats publishes bodies and logs the client counters afterwards.
func (c *Client) PublishAndLogFinalStats(ctx context.Context, queue string, bodies [][]byte) error {
	defer func() { c.Stats().Log(c.logger) }()
	for _, b := range bodies {
		if err := c.PublishConfirmed(ctx, queue, b); err != nil {
			return err
		}
	}
	return nil
}

type spooled struct {
	Queue string    `json:"queue"`
	Body  []byte    `json:"body"`
	At    time.Time `json:"at"`
}

// SpoolToDisk appends unsent messages to path so they survive a restart.
func SpoolToDisk(path string, msgs []spooled) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for _, m := range msgs {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return nil
}

// SpoolToDiskChecked appends unsent messages to path so they survive a restart.
func SpoolToDiskChecked(path string, msgs []spooled) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, m := range msgs {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// LoadSpool reads spooled messages back.
func LoadSpool(path string) ([]spooled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []spooled
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var m spooled
		if err := dec.Decode(&m); err != nil {
			return out, err
		}
		out = append(out, m)
	}
	return out, nil
}
