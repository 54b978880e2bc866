package client

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"example.com/messagebroker/internal/metrics"
	"example.com/messagebroker/internal/protocol"
)

// ProducerStats counts producer outcomes.
type ProducerStats struct {
	Sent    int64
	Failed  int64
	Spooled int64
}

// Producer publishes messages.
type Producer struct {
	c       *Client
	sent    atomic.Int64
	failed  atomic.Int64
	spooled atomic.Int64
	latency *metrics.Histogram
}

// NewProducer returns a producer on c.
func NewProducer(c *Client) *Producer {
	return &Producer{c: c, latency: metrics.Default.Histogram("client_produce_seconds")}
}

// observe records the outcome of one send. It only touches atomics.
func (p *Producer) observe(start time.Time, err error) {
	p.latency.Observe(time.Since(start))
	if err != nil {
		p.failed.Add(1)
		return
	}
	p.sent.Add(1)
}

func (p *Producer) produce(ctx context.Context, topic string, key, value []byte) (int64, error) {
	f := protocol.Frame{Type: protocol.TypeProduce, Payload: protocol.ProduceRequest{Topic: topic, Key: key, Value: value}.Marshal()}
	reply, err := p.c.doRetry(ctx, f)
	if err != nil {
		return 0, err
	}
	a, err := protocol.UnmarshalProduceAck(reply.Payload)
	if err != nil {
		return 0, err
	}
	return a.Offset, nil
}

// Send publishes one message and returns its offset.
func (p *Producer) Send(ctx context.Context, topic string, key, value []byte) (offset int64, err error) {
	start := time.Now()
	defer p.observe(start, err) // HAZ defer-eager-evaluation
	offset, err = p.produce(ctx, topic, key, value)
	if err != nil && p.c.cfg.OutboxDir != "" {
		if serr := p.c.spool(topic, key, value); serr == nil {
			p.spooled.Add(1)
			return -1, nil
		}
	}
	return offset, err
}

// KV is a key/value pair.
type KV struct {
	Key   []byte
	Value []byte
}

// SendBatch publishes msgs in order, stopping at the first error. The
// outcome is recorded by a closure that reads the named result at exit.
func (p *Producer) SendBatch(ctx context.Context, topic string, msgs []KV) (offsets []int64, err error) {
	start := time.Now()
	defer func() { p.observe(start, err) }()
	for _, m := range msgs {
		off, err := p.produce(ctx, topic, m.Key, m.Value)
		if err != nil {
			return offsets, err
		}
		offsets = append(offsets, off)
	}
	return offsets, nil
}

// Result is the outcome of an asynchronous send.
type Result struct {
	Offset int64
	Err    error
}

// SendAsync publishes in the background; the returned channel is buffered
// so the goroutine finishes even if the caller never reads it.
func (p *Producer) SendAsync(ctx context.Context, topic string, key, value []byte) <-chan Result {
	ch := make(chan Result, 1)
	go func() {
		off, err := p.Send(ctx, topic, key, value)
		ch <- Result{off, err}
	}()
	return ch
}

// SendAll publishes msgs concurrently and waits for every result.
func (p *Producer) SendAll(ctx context.Context, topic string, msgs []KV) error {
	results := make(chan error, len(msgs))
	for _, m := range msgs {
		go func() {
			_, err := p.Send(ctx, topic, m.Key, m.Value)
			results <- err
		}()
	}
	var errs []error
	for range msgs {
		errs = append(errs, <-results)
	}
	return errors.Join(errs...)
}

// Stats returns a snapshot of the producer counters.
func (p *Producer) Stats() ProducerStats {
	return ProducerStats{Sent: p.sent.Load(), Failed: p.failed.Load(), Spooled: p.spooled.Load()}
}
