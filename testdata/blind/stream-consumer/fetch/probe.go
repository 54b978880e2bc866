package fetch

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"example.com/consumer/broker"
)

// EndSource can report the end of a partition log.
type EndSource interface {
	HighWatermark(tp broker.TopicPartition) (int64, error)
}

// Lag returns how far the fetcher is behind the end of the log. It gives
// up when ctx ends, so a stuck broker does not stall the metrics loop.
func (f *Fetcher) Lag(ctx context.Context, src EndSource) (int64, error) {
	type result struct {
		end int64
		err error
	}
	res := make(chan result)
	go func() {
		end, err := src.HighWatermark(f.tp)
		res <- result{end, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-res:
		if r.err != nil {
			return 0, r.err
		}
		return max(0, r.end-f.Offset()), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// CaughtUp reports whether the fetcher has reached the end of the log,
// with the same timeout behaviour as Lag.
func (f *Fetcher) CaughtUp(ctx context.Context, src EndSource) (bool, error) {
	type result struct {
		end int64
		err error
	}
	res := make(chan result, 1)
	go func() {
		end, err := src.HighWatermark(f.tp)
		res <- result{end, err}
	}()
	select {
	case r := <-res:
		return r.err == nil && f.Offset() >= r.end, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// Probe checks that the partition can be read at the fetcher's position
// within timeout.
func (f *Fetcher) Probe(timeout time.Duration) error {
	errc := make(chan error)
	go func() {
		_, err := f.src.Fetch(f.tp, f.Offset(), 1)
		errc <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("probe %s: no answer within %s", f.tp, timeout)
	}
}

// ProbeAll probes the partitions concurrently and reports the last one
// started when the caller wants to log progress.
func ProbeAll(src Source, parts []broker.TopicPartition, position func(broker.TopicPartition) int64) (last broker.TopicPartition, failed int) {
	var wg sync.WaitGroup
	var bad atomic.Int64
	for _, last = range parts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := src.Fetch(last, position(last), 1); err != nil {
				bad.Add(1)
			}
		}()
	}
	wg.Wait()
	return last, int(bad.Load())
}
