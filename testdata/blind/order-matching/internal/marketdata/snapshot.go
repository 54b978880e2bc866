package marketdata

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"example.com/matching/internal/book"
)

// DepthSource is anything that can report the depth of one symbol.
type DepthSource interface {
	Depth(ctx context.Context, sym string, n int) (book.Depth, error)
}

func depthUpdate(d book.Depth) Update {
	return Update{Symbol: d.Symbol, Bids: d.Bids, Asks: d.Asks}
}

// Snapshot builds a full-depth update per symbol for a new subscriber. It
// returns whatever is ready when ctx expires.
func Snapshot(ctx context.Context, src DepthSource, syms []string, levels int) []Update {
	out := make(chan Update, len(syms))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, sym := range syms {
		go func() {
			d, err := src.Depth(ctx, sym, levels)
			if err != nil {
				d = book.Depth{Symbol: sym}
			}
			out <- depthUpdate(d)
		}()
	}
	updates := make([]Update, 0, len(syms))
	for range syms {
		select {
		case u := <-out:
			updates = append(updates, u)
		case <-ctx.Done():
			return updates
		}
	}
	return updates
}

// SnapshotAll is Snapshot for the recorder: it waits for every worker, then
// closes the channel it ranges over.
func SnapshotAll(ctx context.Context, src DepthSource, syms []string, levels int) ([]Update, error) {
	out := make(chan Update)
	errc := make(chan error, len(syms))
	var wg sync.WaitGroup
	for _, sym := range syms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := src.Depth(ctx, sym, levels)
			if err != nil {
				errc <- fmt.Errorf("depth %s: %w", sym, err)
				return
			}
			out <- depthUpdate(d)
		}()
	}
	go func() {
		defer close(out)
		wg.Wait()
	}()
	var updates []Update
	for u := range out {
		updates = append(updates, u)
	}
	close(errc)
	if err, ok := <-errc; ok {
		return updates, err
	}
	sort.Slice(updates, func(i, j int) bool { return updates[i].Symbol < updates[j].Symbol })
	return updates, nil
}

// FirstQuote asks every source (primary and backup engine) for the top of
// book of sym and returns the first answer.
func FirstQuote(ctx context.Context, srcs []DepthSource, sym string) (Update, error) {
	ch := make(chan Update)
	for _, src := range srcs {
		go func() {
			d, err := src.Depth(ctx, sym, 1)
			if err == nil {
				ch <- depthUpdate(d) // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case u := <-ch:
		return u, nil
	case <-ctx.Done():
		return Update{}, ctx.Err()
	}
}

// FirstQuoteBuffered is FirstQuote with room for every answer, so the
// sources that lose the race can still deliver and exit.
func FirstQuoteBuffered(ctx context.Context, srcs []DepthSource, sym string) (Update, error) {
	ch := make(chan Update, len(srcs))
	for _, src := range srcs {
		go func() {
			if d, err := src.Depth(ctx, sym, 1); err == nil {
				ch <- depthUpdate(d)
			}
		}()
	}
	select {
	case u := <-ch:
		return u, nil
	case <-ctx.Done():
		return Update{}, ctx.Err()
	}
}
