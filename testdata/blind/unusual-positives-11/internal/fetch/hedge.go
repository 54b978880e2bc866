package fetch

import (
	"context"
	"errors"
	"fmt"
)

type reply[T any] struct {
	val  T
	err  error
	from string
}

// Hedged sends the same request to every backend and returns the first reply.
func Hedged[T any](ctx context.Context, backends []*Client[T], path string) (T, error) {
	won := make(chan reply[T])
	for _, b := range backends {
		go func() { // HAZ goroutine-blocked-send
			v, err := b.Fetch(ctx, path)
			won <- reply[T]{val: v, err: err, from: b.Base()}
		}()
	}
	select {
	case r := <-won:
		if r.err != nil {
			return r.val, fmt.Errorf("hedged %s via %s: %w", path, r.from, r.err)
		}
		return r.val, nil
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("hedged %s: %w", path, ctx.Err())
	}
}

// First is Hedged done right: the losers select on a context that is
// cancelled when First returns.
func First[T any](parent context.Context, backends []*Client[T], path string) (T, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	won := make(chan reply[T])
	for _, b := range backends {
		go func() {
			v, err := b.Fetch(ctx, path)
			select {
			case won <- reply[T]{val: v, err: err, from: b.Base()}:
			case <-ctx.Done():
			}
		}()
	}
	select {
	case r := <-won:
		if r.err != nil {
			return r.val, fmt.Errorf("first %s via %s: %w", path, r.from, r.err)
		}
		return r.val, nil
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("first %s: %w", path, ctx.Err())
	}
}

// Quorum returns as soon as need backends agree to have answered; the
// channel has room for every sender, so none blocks after Quorum returns.
func Quorum[T any](ctx context.Context, backends []*Client[T], path string, need int) ([]T, error) {
	replies := make(chan reply[T], len(backends))
	for _, b := range backends {
		go func() {
			v, err := b.Fetch(ctx, path)
			replies <- reply[T]{val: v, err: err, from: b.Base()}
		}()
	}
	var got []T
	var errs []error
	for range backends {
		select {
		case r := <-replies:
			if r.err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", r.from, r.err))
				continue
			}
			got = append(got, r.val)
			if len(got) == need {
				return got, nil
			}
		case <-ctx.Done():
			return got, fmt.Errorf("quorum %s: %w", path, ctx.Err())
		}
	}
	return got, fmt.Errorf("quorum %s: %d/%d answers: %w", path, len(got), need, errors.Join(errs...))
}
