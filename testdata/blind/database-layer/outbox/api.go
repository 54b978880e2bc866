package outbox

import (
	"context"
	"time"
)

// Mode selects how a batch is published.
type Mode int

const (
	// FailFast stops at the first failed publish.
	FailFast Mode = iota
	// BestEffort publishes everything and reports every failure.
	BestEffort
	// Lenient publishes everything and ignores publisher panics.
	Lenient
)

// PublishBatch publishes msgs concurrently in the given mode.
func (r *Relay) PublishBatch(ctx context.Context, msgs []Message, mode Mode) error {
	switch mode {
	case FailFast:
		return r.publishAll(ctx, msgs)
	case Lenient:
		for _, m := range msgs {
			if err := r.safePublish(ctx, m); err != nil {
				return err
			}
		}
		return nil
	default:
		return r.publishAllWait(ctx, msgs)
	}
}

// PublishEach publishes msgs one by one, each within timeout.
func (r *Relay) PublishEach(ctx context.Context, msgs []Message, timeout time.Duration, strict bool) error {
	for _, m := range msgs {
		publish := r.publishBounded
		if !strict {
			publish = r.publishWithTimeout
		}
		if err := publish(ctx, m, timeout); err != nil {
			return err
		}
	}
	return nil
}

// Deliver publishes msgs and runs each topic's ack hook.
func (r *Relay) Deliver(ctx context.Context, msgs []Message) error {
	for _, m := range msgs {
		if err := r.deliver(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// DeliverOptional publishes msgs and runs the ack hooks that are registered.
func (r *Relay) DeliverOptional(ctx context.Context, msgs []Message) error {
	for _, m := range msgs {
		if err := r.deliverAcked(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// Replay publishes msgs through a cancellable stream and returns how many
// were published.
func (r *Relay) Replay(ctx context.Context, msgs []Message) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := 0
	for m := range stream(ctx, msgs) {
		if err := r.pub.Publish(ctx, m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// PublishAllParallel publishes msgs concurrently and joins the failures.
func (r *Relay) PublishAllParallel(ctx context.Context, msgs []Message) error {
	return r.publishParallel(ctx, msgs)
}
