// Goroutines started by errgroup's Go are goroutines too: errgroup does not recover their panics.
package fixture

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

func step(n int) error {
	if n < 0 {
		panic("negative")
	}
	return nil
}

func Fetch(ctx context.Context, items []int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	g, _ := errgroup.WithContext(ctx)
	for _, it := range items {
		g.Go(func() error { return step(it) }) // want `Fetch protects itself with a deferred recover \(line \d+\), but the goroutine that g.Go starts on line \d+ has no recover of its own`
	}
	return g.Wait()
}
