package retry

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"example.com/consumer/broker"
)

// Handler processes one message.
type Handler func(ctx context.Context, m broker.Message) error

// Retrier runs handlers with retries and dead-letters what keeps failing.
type Retrier struct {
	backoff  Backoff
	attempts int
	dlq      *DeadLetterWriter
	log      *log.Logger
	dead     atomic.Int64
}

// NewRetrier returns a retrier making at most attempts calls per message.
func NewRetrier(b Backoff, attempts int, dlq *DeadLetterWriter, logger *log.Logger) *Retrier {
	return &Retrier{backoff: b, attempts: attempts, dlq: dlq, log: logger}
}

// DeadLettered returns how many messages went to the dead-letter queue.
func (r *Retrier) DeadLettered() int64 { return r.dead.Load() }

// Handle runs h with retries. A message that still fails is written to the
// dead-letter queue and Handle returns nil so the consumer moves on.
func (r *Retrier) Handle(ctx context.Context, m broker.Message, h Handler) error {
	attempts := 0
	err := Do(ctx, r.backoff, r.attempts, func(ctx context.Context) error {
		attempts++
		return r.guarded(ctx, m, h)
	})
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if derr := r.dlq.Write(RecordFor(m, err, attempts)); derr != nil {
		return fmt.Errorf("dead-letter %s@%d: %w", m.TP(), m.Offset, errors.Join(err, derr))
	}
	r.dead.Add(1)
	r.log.Printf("dead-lettered %s@%d after %d attempts: %v", m.TP(), m.Offset, attempts, err)
	return nil
}

// guarded turns a handler panic into a permanent error for this message.
func (r *Retrier) guarded(ctx context.Context, m broker.Message, h Handler) (err error) {
	defer r.recoverInto(&err, m)
	return h(ctx, m)
}

// recoverInto is deferred directly by guarded, so its recover stops the
// panic.
func (r *Retrier) recoverInto(errp *error, m broker.Message) {
	if p := recover(); p != nil {
		r.log.Printf("handler panic at %s@%d: %v", m.TP(), m.Offset, p)
		*errp = Permanent(fmt.Errorf("handler panicked: %v", p))
	}
}

// Once runs h a single time, for side effects that must not be repeated.
func (r *Retrier) Once(ctx context.Context, m broker.Message, h Handler) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if p := recover(); p != nil {
			r.log.Printf("handler panic at %s@%d: %v", m.TP(), m.Offset, p)
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	err = h(ctx, m)
	return err
}

// Probe runs h once and reports a panic as an error; used by the admin
// "test message" action.
func (r *Retrier) Probe(ctx context.Context, m broker.Message, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("probe of %s panicked: %v", m.TP(), p)
		}
	}()
	return h(ctx, m)
}

// HandleWithTimeout runs h once and gives up waiting after d; the handler
// keeps running in the background.
func (r *Retrier) HandleWithTimeout(ctx context.Context, m broker.Message, h Handler, d time.Duration) error {
	done := make(chan error)
	go func() { done <- r.guarded(ctx, m, h) }() // HAZ goroutine-blocked-send
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("handler for %s@%d still running after %s", m.TP(), m.Offset, d)
	}
}

// HandleBounded is HandleWithTimeout with room for the late result.
func (r *Retrier) HandleBounded(ctx context.Context, m broker.Message, h Handler, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.guarded(ctx, m, h) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
