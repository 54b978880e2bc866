package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// ErrTimeout is returned when a publish does not finish in time.
var ErrTimeout = errors.New("outbox: publish timed out")

// logPanic reports a panic raised while publishing.
func logPanic(logger *log.Logger) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		if logger != nil {
			logger.Printf("outbox: publish panicked: %v", p)
		}
	}
}

func (r *Relay) dispatch(ctx context.Context, m Message) error {
	defer func() {
		logPanic(r.logger)
	}()
	return r.pub.Publish(ctx, m)
}

// safePublish publishes m and never lets a publisher panic escape.
func (r *Relay) safePublish(ctx context.Context, m Message) (err error) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	return r.pub.Publish(ctx, m)
}

// guardedPublish publishes m and reports a publisher panic as an error.
func (r *Relay) guardedPublish(ctx context.Context, m Message) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("outbox: publisher panicked on %d: %v", m.ID, p)
		}
	}()
	return r.pub.Publish(ctx, m)
}

// OnAck registers fn to be called after each publish attempt on topic.
func (r *Relay) OnAck(topic string, fn func(Message)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acks[topic] = fn
}

func (r *Relay) ackHook(topic string) func(Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acks[topic]
}

// deliver publishes m and then runs the topic's ack hook.
func (r *Relay) deliver(ctx context.Context, m Message) error {
	ack := r.ackHook(m.Topic)
	defer ack(m) // HAZ defer-nil-func
	return r.guardedPublish(ctx, m)
}

// deliverAcked publishes m and runs the topic's ack hook if there is one.
func (r *Relay) deliverAcked(ctx context.Context, m Message) error {
	if ack := r.ackHook(m.Topic); ack != nil {
		defer ack(m)
	}
	return r.guardedPublish(ctx, m)
}

// publishAll publishes msgs concurrently and fails fast.
func (r *Relay) publishAll(ctx context.Context, msgs []Message) error {
	results := make(chan error, len(msgs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, m := range msgs {
		go func() {
			results <- r.guardedPublish(ctx, m)
		}()
	}
	for range msgs {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

// publishAllWait publishes msgs concurrently, waits for every sender, and
// only then closes the channel.
func (r *Relay) publishAllWait(ctx context.Context, msgs []Message) error {
	results := make(chan error, len(msgs))
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- r.guardedPublish(ctx, m)
		}()
	}
	wg.Wait()
	close(results)
	var errs []error
	for err := range results {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stream feeds msgs to the returned channel until ctx ends.
func stream(ctx context.Context, msgs []Message) <-chan Message {
	out := make(chan Message)
	go func() {
		defer close(out)
		for _, m := range msgs {
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// publishWithTimeout publishes m, giving up after d.
func (r *Relay) publishWithTimeout(ctx context.Context, m Message, d time.Duration) error {
	done := make(chan error)
	go func() {
		done <- r.pub.Publish(ctx, m) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return ErrTimeout
	}
}

// publishBounded publishes m, giving up after d; the result channel has room
// for the one sender, and the publisher sees the deadline too.
func (r *Relay) publishBounded(ctx context.Context, m Message, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- r.pub.Publish(ctx, m)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ErrTimeout
	}
}

// publishParallel publishes msgs concurrently and joins the failures.
func (r *Relay) publishParallel(ctx context.Context, msgs []Message) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.pub.Publish(ctx, m); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("message %d: %w", m.ID, err))
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Redeliver publishes msgs again and marks them sent.
func (r *Relay) Redeliver(ctx context.Context, msgs []Message) error {
	ids := idsOf(msgs)
	defer r.markSent(ctx, ids) // HAZ defer-blocking-call
	for _, m := range msgs {
		if err := r.pub.Publish(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// RedeliverChecked publishes msgs again and marks them sent after they all
// went out.
func (r *Relay) RedeliverChecked(ctx context.Context, msgs []Message) error {
	for _, m := range msgs {
		if err := r.pub.Publish(ctx, m); err != nil {
			return err
		}
	}
	return r.markSent(ctx, idsOf(msgs))
}

// RelayBatch publishes msgs in order and records the outcome.
func (r *Relay) RelayBatch(ctx context.Context, msgs []Message) error {
	var err error
	defer r.record(len(msgs), err) // HAZ defer-eager-evaluation
	for _, m := range msgs {
		if err = r.pub.Publish(ctx, m); err != nil {
			return err
		}
	}
	err = r.markSent(ctx, idsOf(msgs))
	return err
}

// RelayBatchRecorded is RelayBatch reading the outcome at exit.
func (r *Relay) RelayBatchRecorded(ctx context.Context, msgs []Message) (err error) {
	defer func() { r.record(len(msgs), err) }()
	for _, m := range msgs {
		if err = r.pub.Publish(ctx, m); err != nil {
			return err
		}
	}
	return r.markSent(ctx, idsOf(msgs))
}

// requeue flags messages as unsent so that the relay picks them up again.
func (r *Relay) requeue(ctx context.Context, ids []int64) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return fmt.Errorf("outbox: rollback requeue: %w", err)
		}
		return nil
	}()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET sent = ? WHERE id = ?", false, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Requeue is the exported, checked form of requeue.
func (r *Relay) Requeue(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return r.requeue(ctx, ids)
}
