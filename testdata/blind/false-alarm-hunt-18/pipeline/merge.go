package pipeline

import (
	"context"
	"sync"
)

// forward copies in to out until in is closed or ctx is done.
func forward(ctx context.Context, in <-chan string, out chan<- string) {
	for s := range in {
		select {
		case out <- s:
		case <-ctx.Done():
			return
		}
	}
}

// Merge fans the input channels into one, which is closed once every
// input is closed or ctx is done.
func Merge(ctx context.Context, ins ...<-chan string) <-chan string {
	out := make(chan string)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forward(ctx, in, out)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// MergeUntil fans the input channels into one until ctx is done, then
// closes it. Inputs need not ever be closed.
func MergeUntil(ctx context.Context, ins ...<-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out) // HAZ defer-close-chan-with-sender
		for _, in := range ins {
			go forward(ctx, in, out)
		}
		<-ctx.Done()
	}()
	return out
}

// Collect receives from in until it is closed and returns what it got.
func Collect(in <-chan string) []string {
	var out []string
	for s := range in {
		out = append(out, s)
	}
	return out
}
