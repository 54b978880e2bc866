package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/matching/internal/book"
)

// Quote is the top of book of one symbol.
type Quote struct {
	Symbol string
	Bid    int64
	BidQty int64
	Ask    int64
	AskQty int64
}

// Depth returns up to n levels per side for sym.
func (e *Engine) Depth(ctx context.Context, sym string, n int) (book.Depth, error) {
	a, err := e.actor(sym)
	if err != nil {
		return book.Depth{}, err
	}
	return a.Depth(ctx, n)
}

func quoteFrom(d book.Depth) Quote {
	q := Quote{Symbol: d.Symbol}
	if len(d.Bids) > 0 {
		q.Bid, q.BidQty = d.Bids[0].Price, d.Bids[0].Qty
	}
	if len(d.Asks) > 0 {
		q.Ask, q.AskQty = d.Asks[0].Price, d.Asks[0].Qty
	}
	return q
}

// QuoteAll collects the top of book of every symbol concurrently. It returns
// what it has when ctx expires.
func (e *Engine) QuoteAll(ctx context.Context) ([]Quote, error) {
	syms := e.Symbols()
	type result struct {
		q   Quote
		err error
	}
	results := make(chan result)
	for _, sym := range syms {
		go func() {
			d, err := e.Depth(context.Background(), sym, 1)
			results <- result{q: quoteFrom(d), err: err} // HAZ goroutine-blocked-send
		}()
	}
	quotes := make([]Quote, 0, len(syms))
	for range syms {
		select {
		case r := <-results:
			if r.err == nil {
				quotes = append(quotes, r.q)
			}
		case <-ctx.Done():
			return quotes, ctx.Err()
		}
	}
	return quotes, nil
}

// SnapshotAll copies the resting orders of every book. The error channel is
// buffered for every sender, so returning on the first error strands nobody.
func (e *Engine) SnapshotAll(ctx context.Context) (map[string][]book.Order, error) {
	e.mu.RLock()
	actors := make(map[string]*book.Actor, len(e.books))
	for sym, a := range e.books {
		actors[sym] = a
	}
	e.mu.RUnlock()

	type result struct {
		sym    string
		orders []book.Order
		err    error
	}
	results := make(chan result, len(actors))
	for sym, a := range actors {
		go func() {
			orders, err := a.Snapshot(ctx)
			results <- result{sym: sym, orders: orders, err: err}
		}()
	}
	out := make(map[string][]book.Order, len(actors))
	for range actors {
		r := <-results
		if r.err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", r.sym, r.err)
		}
		out[r.sym] = r.orders
	}
	return out, nil
}

// CancelAll cancels the given order ids on sym, in parallel across a fixed
// number of workers, and joins every worker before returning.
func (e *Engine) CancelAll(ctx context.Context, sym string, ids []uint64, workers int) (int, error) {
	a, err := e.actor(sym)
	if err != nil {
		return 0, err
	}
	if workers <= 0 {
		workers = 1
	}
	jobs := make(chan uint64)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		canceled int
		errs     []error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				ok, err := a.Cancel(ctx, id)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("cancel %d: %w", id, err))
				} else if ok {
					canceled++
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
	return canceled, errors.Join(errs...)
}
