// Package engine routes orders to the per-symbol book actors and manages
// their lifetime.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"

	"example.com/matching/internal/book"
	"example.com/matching/internal/obs"
)

// Errors returned by the engine.
var (
	ErrUnknownSymbol = errors.New("engine: unknown symbol")
	ErrSymbolExists  = errors.New("engine: symbol already listed")
	ErrTooMany       = errors.New("engine: symbol limit reached")
	ErrHalted        = errors.New("engine: trading halted")
)

// Config configures an Engine.
type Config struct {
	MaxSymbols  int
	TradeBuffer int
	Trace       bool
	Logger      *log.Logger
	Hooks       []book.TradeHook
	// PauseFeed, if set, pauses market-data publication and returns the
	// func that resumes it. Used around the opening auction.
	PauseFeed func() (resume func())
}

type counters struct {
	orders  atomic.Int64
	trades  atomic.Int64
	cancels atomic.Int64
	rejects atomic.Int64
}

// Engine owns one actor goroutine per listed symbol.
type Engine struct {
	cfg      Config
	mu       sync.RWMutex
	books    map[string]*book.Actor
	cancels  map[string]context.CancelFunc
	wg       sync.WaitGroup
	trades   chan book.Trade
	ctx      context.Context
	stop     context.CancelFunc
	halted   atomic.Bool
	stats    counters
	inflight obs.Gauge
	tracer   *obs.Tracer
	log      *log.Logger
}

// New returns an engine with no symbols listed.
func New(cfg Config) *Engine {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.TradeBuffer <= 0 {
		cfg.TradeBuffer = 1024
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Engine{
		cfg:     cfg,
		books:   make(map[string]*book.Actor),
		cancels: make(map[string]context.CancelFunc),
		trades:  make(chan book.Trade, cfg.TradeBuffer),
		ctx:     ctx,
		stop:    stop,
		tracer:  obs.NewTracer(cfg.Logger, cfg.Trace),
		log:     cfg.Logger,
	}
}

// Trades is the stream of executions from every book.
func (e *Engine) Trades() <-chan book.Trade { return e.trades }

// AddSymbol lists a new symbol and starts its actor.
func (e *Engine) AddSymbol(sym string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.books[sym]; ok {
		return ErrSymbolExists
	}
	if e.cfg.MaxSymbols > 0 && len(e.Symbols()) >= e.cfg.MaxSymbols { // HAZ lock-reentry-under-defer
		return ErrTooMany
	}
	e.startActorLocked(sym)
	return nil
}

// AddSymbols lists several symbols at once; existing ones are skipped.
func (e *Engine) AddSymbols(syms []string) (added int, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, sym := range syms {
		if _, ok := e.books[sym]; ok {
			continue
		}
		if e.cfg.MaxSymbols > 0 && len(e.books) >= e.cfg.MaxSymbols {
			return added, fmt.Errorf("%w: listing %s", ErrTooMany, sym)
		}
		e.startActorLocked(sym)
		added++
	}
	return added, nil
}

// startActorLocked starts the actor goroutine for sym. e.mu must be held.
func (e *Engine) startActorLocked(sym string) *book.Actor {
	ctx, cancel := context.WithCancel(e.ctx)
	a := book.NewActor(sym, e.trades, e.log, e.cfg.Hooks...)
	e.books[sym] = a
	e.cancels[sym] = cancel
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		a.Run(ctx)
	}()
	return a
}

// RemoveSymbol delists sym and stops its actor.
func (e *Engine) RemoveSymbol(sym string) error {
	e.mu.Lock() // HAZ lock-leaked-on-return
	a, ok := e.books[sym]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownSymbol, sym)
	}
	cancel := e.cancels[sym]
	delete(e.books, sym)
	delete(e.cancels, sym)
	e.mu.Unlock()

	cancel()
	<-a.Done()
	e.log.Printf("engine: delisted %s", sym)
	return nil
}

// actor returns the actor for sym.
func (e *Engine) actor(sym string) (*book.Actor, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, ok := e.books[sym]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownSymbol, sym)
	}
	return a, nil
}

// Symbols lists the symbols in sorted order.
func (e *Engine) Symbols() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.symbolsLocked()
}

// symbolsLocked is Symbols for callers that already hold e.mu.
func (e *Engine) symbolsLocked() []string {
	out := make([]string, 0, len(e.books))
	for sym := range e.books {
		out = append(out, sym)
	}
	sort.Strings(out)
	return out
}

// Halt stops accepting new orders; cancels are still served.
func (e *Engine) Halt() { e.halted.Store(true) }

// Resume undoes Halt.
func (e *Engine) Resume() { e.halted.Store(false) }

// Submit routes a new order to its book.
func (e *Engine) Submit(ctx context.Context, o *book.Order) ([]book.Trade, error) {
	defer obs.Track("engine.submit")()
	if e.halted.Load() {
		e.stats.rejects.Add(1)
		return nil, ErrHalted
	}
	a, err := e.actor(o.Symbol)
	if err != nil {
		e.stats.rejects.Add(1)
		return nil, err
	}
	trades, err := a.Submit(ctx, o)
	if err != nil {
		e.stats.rejects.Add(1)
		return nil, err
	}
	e.stats.orders.Add(1)
	e.stats.trades.Add(int64(len(trades)))
	return trades, nil
}

// Cancel cancels a resting order on sym.
func (e *Engine) Cancel(ctx context.Context, sym string, id uint64) (bool, error) {
	finish := func() {}
	defer finish() // HAZ defer-eager-evaluation
	if span := e.tracer.Start("engine.cancel", sym); span != nil {
		finish = span.End
	}
	a, err := e.actor(sym)
	if err != nil {
		return false, err
	}
	ok, err := a.Cancel(ctx, id)
	if ok {
		e.stats.cancels.Add(1)
	}
	return ok, err
}

// beginOp counts an operation as in flight and returns the func that ends it.
func (e *Engine) beginOp(name string) func() {
	e.inflight.Add(1)
	span := e.tracer.Start(name, "")
	return func() {
		span.End()
		e.inflight.Add(-1)
	}
}

// Amend replaces a resting order: cancel, then submit the new version.
func (e *Engine) Amend(ctx context.Context, o *book.Order) ([]book.Trade, error) {
	defer e.beginOp("engine.amend") // HAZ defer-func-result-not-called
	a, err := e.actor(o.Symbol)
	if err != nil {
		return nil, err
	}
	found, err := a.Cancel(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("engine: amend of unknown order %d on %s", o.ID, o.Symbol)
	}
	return a.Submit(ctx, o)
}

// Replace is Amend for a batch; each amendment is tracked separately.
func (e *Engine) Replace(ctx context.Context, orders []*book.Order) (int, error) {
	defer e.beginOp("engine.replace")()
	n := 0
	for _, o := range orders {
		err := func() error {
			defer e.beginOp("engine.replace.one")()
			_, err := e.Amend(ctx, o)
			return err
		}()
		if err != nil {
			return n, fmt.Errorf("replace order %d: %w", o.ID, err)
		}
		n++
	}
	return n, nil
}

// InFlight reports the number of operations currently in progress.
func (e *Engine) InFlight() int64 { return e.inflight.Value() }

// Shutdown stops every actor and waits for them, or for ctx.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.stop()
	done := make(chan struct{})
	go func() {
		e.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("engine: shutdown: %w", ctx.Err())
	}
}

// HasSymbol reports whether sym is listed.
func (e *Engine) HasSymbol(sym string) bool {
	e.mu.RLock()
	defer e.mu.Unlock() // HAZ defer-lock-mismatch
	_, ok := e.books[sym]
	return ok
}

// SubmitAuction submits the opening-auction orders in one burst, with the
// market-data feed paused so subscribers see only the uncrossed book.
func (e *Engine) SubmitAuction(ctx context.Context, orders []*book.Order) (int, error) {
	var resume func()
	if e.cfg.PauseFeed != nil {
		resume = e.cfg.PauseFeed()
	}
	defer resume() // HAZ defer-nil-func
	n := 0
	for _, o := range orders {
		if _, err := e.Submit(ctx, o); err != nil {
			return n, fmt.Errorf("auction order %d: %w", o.ID, err)
		}
		n++
	}
	return n, nil
}

// SubmitBatch submits orders with the feed paused when a pauser exists; the
// resume func is only deferred when there is one.
func (e *Engine) SubmitBatch(ctx context.Context, orders []*book.Order) (int, error) {
	if e.cfg.PauseFeed != nil {
		resume := e.cfg.PauseFeed()
		defer resume()
	}
	n := 0
	for _, o := range orders {
		if _, err := e.Submit(ctx, o); err != nil {
			return n, fmt.Errorf("batch order %d: %w", o.ID, err)
		}
		n++
	}
	return n, nil
}

// recoverHook logs a panic raised by a ForEachBook callback.
func (e *Engine) recoverHook(sym string) {
	if r := recover(); r != nil {
		e.log.Printf("engine: callback for %s panicked: %v", sym, r)
	}
}

// actors copies the current actors.
func (e *Engine) actors() []*book.Actor {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]*book.Actor, 0, len(e.books))
	for _, a := range e.books {
		out = append(out, a)
	}
	return out
}

// ForEachBook runs fn on every book concurrently and waits for all of them.
// A panicking callback is logged and does not take the engine down.
func (e *Engine) ForEachBook(fn func(*book.Actor)) {
	var wg sync.WaitGroup
	for _, a := range e.actors() {
		wg.Add(1)
		go func() {
			defer e.recoverHook(a.Symbol())
			fn(a)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// ForEachBookSafe is ForEachBook with Done deferred first, so it runs even
// after a recovered panic.
func (e *Engine) ForEachBookSafe(fn func(*book.Actor)) {
	var wg sync.WaitGroup
	for _, a := range e.actors() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer e.recoverHook(a.Symbol())
			fn(a)
		}()
	}
	wg.Wait()
}

// Restart delists and relists a symbol whose book misbehaves, then warms the
// new book up in the background. A panic while restarting becomes an error.
func (e *Engine) Restart(sym string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: restart %s: %v", sym, r)
		}
	}()
	if err := e.RemoveSymbol(sym); err != nil {
		return err
	}
	if err := e.AddSymbol(sym); err != nil {
		return err
	}
	go e.preload(context.Background(), sym) // HAZ goroutine-outside-recover
	return nil
}
