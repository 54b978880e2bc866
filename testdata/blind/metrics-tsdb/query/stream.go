package query

import (
	"context"
	"sync"

	"example.com/tsdb/model"
)

// Stream sends the series matching q block by block, without merging, for
// exports that do not fit in memory. The channel is closed when every block
// has been read or ctx is done.
func (e *Engine) Stream(ctx context.Context, q Query) <-chan model.Series {
	out := make(chan model.Series)
	go e.stream(ctx, q, out)
	return out
}

func (e *Engine) stream(ctx context.Context, q Query, out chan<- model.Series) {
	defer close(out)
	var wg sync.WaitGroup
	for _, b := range e.blocksFor(q.MinTime, q.MaxTime) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			set, err := b.Select(q.MinTime, q.MaxTime, q.Matchers...)
			if err != nil {
				e.logger.Printf("stream: block %s: %v", b.Meta().ULID, err)
				return
			}
			for _, s := range set {
				select {
				case out <- s:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
}
