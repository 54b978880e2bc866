package transform

import (
	"context"
	"fmt"
	"time"

	"example.com/etl/internal/record"
)

type outcome struct {
	rec record.Record
	err error
}

// Guard bounds the time a slow step (e.g. an enrichment lookup) may take.
type Guard struct {
	Step    Step
	Timeout time.Duration
}

// Apply runs the step but gives up after g.Timeout or when ctx is done.
func (g *Guard) Apply(ctx context.Context, r record.Record) (record.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, g.Timeout)
	defer cancel()
	done := make(chan outcome)
	go func() {
		rec, err := g.Step(r)
		done <- outcome{rec, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-done:
		return o.rec, o.err
	case <-ctx.Done():
		return nil, fmt.Errorf("transform: step timed out after %s: %w", g.Timeout, ctx.Err())
	}
}

// WithDeadline wraps step so that each call gets at most d; a late result
// is discarded.
func WithDeadline(step Step, d time.Duration) Step {
	return func(r record.Record) (record.Record, error) {
		ch := make(chan outcome, 1)
		go func() {
			rec, err := step(r)
			ch <- outcome{rec, err}
		}()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case o := <-ch:
			return o.rec, o.err
		case <-t.C:
			return nil, fmt.Errorf("transform: step exceeded %s", d)
		}
	}
}
