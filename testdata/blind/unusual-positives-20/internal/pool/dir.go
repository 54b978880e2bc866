//go:build go1.23

package pool

import (
	"context"
	"errors"
	"iter"
	"sync"

	"example.com/up20/internal/segment"
)

// ShipDir ships every segment of d concurrently. Each goroutine gets its own
// seg: range-over-func loop variables are per iteration.
func (p *Pool) ShipDir(d *segment.Dir) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for seg := range d.Segments() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := p.process(seg); r.Err != nil {
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, r.Err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// waitChan closes the returned channel once wg's counter reaches zero.
func waitChan(wg *sync.WaitGroup) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// ShipSeq processes the segments of seq concurrently and sends the results
// on out, which it closes when it returns.
func (p *Pool) ShipSeq(ctx context.Context, seq iter.Seq[segment.Segment], out chan<- Result) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for seg := range seq {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- p.process(seg)
		}()
	}
	select {
	case <-waitChan(&wg):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ShipSeqAll is ShipSeq without the early return: out is closed only after
// every sender is done.
func (p *Pool) ShipSeqAll(seq iter.Seq[segment.Segment], out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for seg := range seq {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- p.process(seg)
		}()
	}
	<-waitChan(&wg)
}
