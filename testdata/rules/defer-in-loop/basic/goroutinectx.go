package fixture

import (
	"context"
	"time"
)

func resolve(ctx context.Context, region int) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(region) * time.Millisecond):
		return nil
	}
}

// Each goroutine works under the context made with the cancel: cancelling at the end of the
// iteration would stop it at once, so the cancels belong at the return, after the results.
func resolveAll(parent context.Context, regions []int) error {
	errs := make(chan error, len(regions))
	for _, r := range regions {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel()
		go func(r int) {
			errs <- resolve(ctx, r)
		}(r)
	}
	for range regions {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// The context used in the iteration itself, not by a goroutine: its timer piles up. Reported.
func resolveEach(parent context.Context, regions []int) error {
	for _, r := range regions {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `context cancel from context\.WithTimeout on line \d+ keeps its timer until resolveEach returns`
		if err := resolve(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
