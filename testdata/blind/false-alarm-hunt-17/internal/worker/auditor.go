package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// Event is one audited operation.
type Event struct {
	At   time.Time
	Kind string
	Key  string
}

// Sink stores audit events.
type Sink interface {
	Write(ctx context.Context, ev Event) error
}

// Auditor copies events to a sink, each write bounded by a timeout.
type Auditor struct {
	sink    Sink
	timeout time.Duration
	logger  *slog.Logger
	dropped atomic.Int64
}

// NewAuditor returns an auditor writing to sink.
func NewAuditor(sink Sink, timeout time.Duration, logger *slog.Logger) *Auditor {
	return &Auditor{sink: sink, timeout: timeout, logger: logger}
}

// Run writes every event received on events to the sink. It is started once
// at boot and runs for the life of the process.
func (a *Auditor) Run(events <-chan Event) {
	for ev := range events {
		ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
		defer cancel() // HAZ defer-in-infinite-loop defer-in-loop
		if err := a.sink.Write(ctx, ev); err != nil {
			a.dropped.Add(1)
			a.logger.Warn("audit write failed", "kind", ev.Kind, "key", ev.Key, "err", err)
		}
	}
}

// Serve is Run with a shutdown signal: it returns when ctx is done or events
// is closed.
func (a *Auditor) Serve(ctx context.Context, events <-chan Event) error {
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			a.write(ctx, ev)
		}
	}
}

// write stores one event. A write already under way when ctx ends is allowed
// to finish, within the timeout.
func (a *Auditor) write(ctx context.Context, ev Event) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.timeout)
	defer cancel()
	if err := a.sink.Write(ctx, ev); err != nil {
		a.dropped.Add(1)
		a.logger.Warn("audit write failed", "kind", ev.Kind, "key", ev.Key, "err", err)
	}
}

// Replay writes a recorded batch in order and stops at the first failure. It
// returns how many events were written.
func (a *Auditor) Replay(ctx context.Context, events []Event) (int, error) {
	defer a.logger.Debug("replay finished", "batch", len(events))
	for i, ev := range events {
		err := func() error {
			wctx, cancel := context.WithTimeout(ctx, a.timeout)
			defer cancel()
			return a.sink.Write(wctx, ev)
		}()
		if err != nil {
			return i, fmt.Errorf("replay event %d (%s %s): %w", i, ev.Kind, ev.Key, err)
		}
	}
	return len(events), nil
}

// Dropped returns the number of events that could not be written.
func (a *Auditor) Dropped() int64 {
	return a.dropped.Load()
}
