package workqueue

import (
	"context"
	"sync"
)

// ParallelizeUntil runs doWork for every piece in [0, pieces) on up to workers goroutines,
// stopping early when ctx ends. It returns once every started worker has finished.
func ParallelizeUntil(ctx context.Context, workers, pieces int, doWork func(piece int)) {
	if pieces <= 0 {
		return
	}
	toProcess := make(chan int, pieces)
	for i := 0; i < pieces; i++ {
		toProcess <- i
	}
	close(toProcess)

	if pieces < workers {
		workers = pieces
	}
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for piece := range toProcess {
				select {
				case <-ctx.Done():
					return
				default:
					doWork(piece)
				}
			}
		}()
	}
	wg.Wait()
}

// Chunks splits items into at most n nearly equal slices.
func Chunks(items []string, n int) [][]string {
	if n <= 0 || len(items) == 0 {
		return nil
	}
	if n > len(items) {
		n = len(items)
	}
	out := make([][]string, 0, n)
	size := (len(items) + n - 1) / n
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		out = append(out, items[start:end])
	}
	return out
}
