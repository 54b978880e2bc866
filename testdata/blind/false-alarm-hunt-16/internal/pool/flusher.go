package pool

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Flusher calls a flush function periodically in the background. The
// background goroutine lives until Close, which cancels it and waits for it
// to return before the final flush.
type Flusher struct {
	cancel context.CancelFunc
	done   chan struct{}
	flush  func() error

	mu   sync.Mutex
	errs []error
}

// StartFlusher calls flush every interval until Close.
func StartFlusher(interval time.Duration, flush func() error) *Flusher {
	ctx, cancel := context.WithCancel(context.Background())
	f := &Flusher{cancel: cancel, done: make(chan struct{}), flush: flush}
	go f.loop(ctx, interval)
	return f
}

func (f *Flusher) loop(ctx context.Context, interval time.Duration) {
	defer close(f.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := f.flush(); err != nil {
				f.record(err)
			}
		}
	}
}

func (f *Flusher) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) < 16 {
		f.errs = append(f.errs, err)
	}
}

// Close stops the background loop, waits for it, runs a final flush and
// returns every flush error seen.
func (f *Flusher) Close() error {
	f.cancel()
	<-f.done
	final := f.flush()

	f.mu.Lock()
	defer f.mu.Unlock()
	return errors.Join(append(f.errs, final)...)
}
