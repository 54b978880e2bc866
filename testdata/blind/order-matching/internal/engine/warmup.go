//go:build go1.21

// This file is kept at go1.21 language semantics because the warm-up code is
// shared with the legacy matcher build.

package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/matching/internal/book"
)

// Warmup lists syms and sends each book a no-op depth request so the actors
// are scheduled and their channels allocated before the market opens.
func (e *Engine) Warmup(ctx context.Context, syms []string) error {
	if _, err := e.AddSymbols(syms); err != nil {
		return err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	started := 0
	for _, sym := range syms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.preload(ctx, sym); err != nil { // HAZ loop-var-capture
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	e.log.Printf("engine: warmed up %d books", started)
	return errors.Join(errs...)
}

func (e *Engine) preload(ctx context.Context, sym string) error {
	a, err := e.actor(sym)
	if err != nil {
		return err
	}
	if _, err := a.Depth(ctx, 1); err != nil {
		return fmt.Errorf("warm up %s: %w", sym, err)
	}
	return nil
}

// RestoreBooks lists every symbol in the snapshot and replays its resting
// orders. Each goroutine gets its own copy of the loop variables.
func (e *Engine) RestoreBooks(ctx context.Context, books map[string][]book.Order) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(books))
	for sym, orders := range books {
		if err := e.AddSymbol(sym); err != nil && !errors.Is(err, ErrSymbolExists) {
			return err
		}
		wg.Add(1)
		go func(sym string, orders []book.Order) {
			defer wg.Done()
			a, err := e.actor(sym)
			if err != nil {
				errs <- err
				return
			}
			for i := range orders {
				o := orders[i]
				if _, err := a.Submit(ctx, &o); err != nil {
					errs <- fmt.Errorf("restore %s order %d: %w", sym, o.ID, err)
					return
				}
			}
		}(sym, orders)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// DelistAll stops every book concurrently, for the end-of-day shutdown.
func (e *Engine) DelistAll() int {
	e.mu.Lock()
	actors, cancels := e.books, e.cancels
	e.books = make(map[string]*book.Actor)
	e.cancels = make(map[string]context.CancelFunc)
	e.mu.Unlock()

	var wg sync.WaitGroup
	for sym, a := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cancels[sym]() // HAZ loop-var-capture
			<-a.Done()
		}()
		e.log.Printf("engine: delisting %s", sym)
	}
	wg.Wait()
	return len(actors)
}
