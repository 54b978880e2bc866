// Package wggo: sync.WaitGroup.Go (Go 1.25) starts a goroutine like a go statement.
package wggo

import (
	"context"
	"sync"
)

func groupLeak(ctx context.Context) int {
	var wg sync.WaitGroup
	ch := make(chan int) // want `groupLeak makes ch unbuffered, and the goroutine started on line 12 sends its result on it \(line 12\); when the select on line 13 takes its <-ctx.Done\(\) case`
	wg.Go(func() { ch <- 1 })
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Received on every path: nothing leaks.
func groupJoined() int {
	var wg sync.WaitGroup
	ch := make(chan int)
	wg.Go(func() { ch <- 1 })
	v := <-ch
	wg.Wait()
	return v
}
