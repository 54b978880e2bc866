package outsiderecover

import (
	"context"

	"example.com/outsiderecover/safe"
)

func reindex(ctx context.Context) error {
	if ctx.Err() != nil {
		panic("cancelled mid-way")
	}
	return nil
}

// The goroutine sends on the result of safe.Do, which recovers through the Guard it defers.
func rebuild(ctx context.Context) (err error) {
	defer safe.Guard(&err)
	errc := make(chan error, 1)
	go func() {
		errc <- safe.Do(func() error { return reindex(ctx) })
	}()
	return <-errc
}

// safe.Run recovers nothing: a panic of reindex still ends the process.
func rebuildUnsafe(ctx context.Context) (err error) {
	defer safe.Guard(&err)
	errc := make(chan error, 1)
	go func() { // want `rebuildUnsafe protects itself with a deferred recover`
		errc <- safe.Run(func() error { return reindex(ctx) })
	}()
	return <-errc
}
