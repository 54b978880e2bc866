package shipper

import (
	"context"
	"sync/atomic"
	"time"
)

// Batch is a group of lines uploaded together.
type Batch struct {
	ID      uint64    `json:"id"`
	Lines   []Line    `json:"lines"`
	Created time.Time `json:"created"`
}

// Batcher groups lines into batches of at most MaxLines, flushing a partial
// batch after MaxWait.
type Batcher struct {
	MaxLines int
	MaxWait  time.Duration

	nextID atomic.Uint64
}

// Run reads lines from in and sends batches on out. It is the only sender on
// out and closes it when in is closed or ctx is done.
func (b *Batcher) Run(ctx context.Context, in <-chan Line, out chan<- Batch) {
	defer close(out) // ok: sole sender, no goroutines started here
	timer := time.NewTimer(b.MaxWait)
	defer timer.Stop()

	var cur []Line
	flush := func() bool {
		if len(cur) == 0 {
			return true
		}
		batch := Batch{ID: b.nextID.Add(1), Lines: cur, Created: time.Now()}
		cur = nil
		select {
		case out <- batch:
			return true
		case <-ctx.Done():
			return false
		}
	}

	for {
		select {
		case <-ctx.Done():
			return
		case l, ok := <-in:
			if !ok {
				flush()
				return
			}
			cur = append(cur, l)
			if len(cur) >= b.MaxLines && !flush() {
				return
			}
		case <-timer.C:
			if !flush() {
				return
			}
			timer.Reset(b.MaxWait)
		}
	}
}
