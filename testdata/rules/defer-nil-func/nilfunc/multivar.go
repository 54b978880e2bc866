package nilfunc

import (
	"context"
	"time"
)

func testContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// Both names get their values from the one call in the var declaration.
func runWithContext() error {
	var (
		ctx, cancel = testContext()
	)
	defer cancel()
	return ctx.Err()
}

// A name left without a value in a var block is still nil.
func runWithout(start bool) {
	var (
		stop func()
	)
	if start {
		stop = func() {}
	}
	defer stop() // want `stop is nil on a path from its declaration on line 23 to this defer`
}
