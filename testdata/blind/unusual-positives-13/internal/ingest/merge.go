package ingest

import (
	"context"
	"errors"
)

// Producer emits records on out until it is done.
type Producer func(ctx context.Context, out chan<- Record) error

// Merge runs every producer and forwards their records on out, which it
// closes when it returns.
func Merge(ctx context.Context, producers []Producer, out chan<- Record) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(producers))
	for _, p := range producers {
		go func() { errc <- p(ctx, out) }()
	}
	for range producers {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// MergeAll is Merge that receives the result of every producer before it
// returns, so no producer can send after out is closed.
func MergeAll(ctx context.Context, producers []Producer, out chan<- Record) error {
	defer close(out)
	errc := make(chan error, len(producers))
	for _, p := range producers {
		go func() { errc <- p(ctx, out) }()
	}
	var errs []error
	for range producers {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FromRecords returns a producer that emits recs.
func FromRecords(recs []Record) Producer {
	return func(ctx context.Context, out chan<- Record) error {
		for _, r := range recs {
			select {
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}
