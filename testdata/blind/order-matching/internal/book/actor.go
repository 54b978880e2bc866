package book

import (
	"context"
	"errors"
	"fmt"
	"log"
)

// ErrStopped is returned by requests made after the actor has stopped.
var ErrStopped = errors.New("book: actor stopped")

type reqKind int

const (
	reqSubmit reqKind = iota
	reqCancel
	reqDepth
	reqSnapshot
)

type request struct {
	kind  reqKind
	order *Order
	id    uint64
	n     int
	reply chan reply
}

type reply struct {
	trades []Trade
	ok     bool
	depth  Depth
	orders []Order
	err    error
}

// TradeHook is called synchronously for every trade the actor produces.
type TradeHook func(Trade)

// Actor owns one Book and serialises every access to it through a channel.
type Actor struct {
	symbol string
	book   *Book
	reqs   chan request
	trades chan<- Trade
	hooks  []TradeHook
	done   chan struct{}
	logger *log.Logger
}

// NewActor returns an actor for symbol that publishes trades on trades.
func NewActor(symbol string, trades chan<- Trade, logger *log.Logger, hooks ...TradeHook) *Actor {
	return &Actor{
		symbol: symbol,
		book:   New(symbol),
		reqs:   make(chan request, 256),
		trades: trades,
		hooks:  hooks,
		done:   make(chan struct{}),
		logger: logger,
	}
}

// Symbol returns the symbol the actor owns.
func (a *Actor) Symbol() string { return a.symbol }

// Done is closed once Run has returned.
func (a *Actor) Done() <-chan struct{} { return a.done }

// Run serves requests until ctx is cancelled.
func (a *Actor) Run(ctx context.Context) {
	defer close(a.done)
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-a.reqs:
			rep := a.apply(req)
			req.reply <- rep // buffered with capacity 1 by call
			if len(rep.trades) > 0 {
				a.publish(ctx, rep.trades)
			}
		}
	}
}

// apply runs one request against the book. A panic in the matching code is
// turned into an error reply so the caller is never left waiting.
func (a *Actor) apply(req request) (rep reply) {
	defer func() {
		if r := recover(); r != nil {
			a.logger.Printf("book %s: panic applying request %d: %v", a.symbol, req.kind, r)
			rep = reply{err: fmt.Errorf("book %s: internal error: %v", a.symbol, r)}
		}
	}()
	switch req.kind {
	case reqSubmit:
		rep.trades, rep.err = a.book.Submit(req.order)
	case reqCancel:
		rep.ok = a.book.Cancel(req.id)
	case reqDepth:
		rep.depth = a.book.Depth(req.n)
	case reqSnapshot:
		rep.orders = a.book.Orders()
	default:
		rep.err = fmt.Errorf("book %s: unknown request kind %d", a.symbol, req.kind)
	}
	return rep
}

// publish hands trades to the hooks and the outbound channel; it gives up
// when ctx is cancelled so shutdown never blocks on a slow consumer.
func (a *Actor) publish(ctx context.Context, trades []Trade) {
	for _, t := range trades {
		for _, h := range a.hooks {
			a.runHook(h, t)
		}
		select {
		case a.trades <- t:
		case <-ctx.Done():
			return
		}
	}
}

// runHook isolates the matching loop from a misbehaving hook.
func (a *Actor) runHook(h TradeHook, t Trade) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	h(t)
}

// call sends req and waits for the reply. The reply channel is buffered so
// the actor never blocks when the caller has already given up.
func (a *Actor) call(ctx context.Context, req request) (reply, error) {
	req.reply = make(chan reply, 1)
	select {
	case a.reqs <- req:
	case <-a.done:
		return reply{}, ErrStopped
	case <-ctx.Done():
		return reply{}, ctx.Err()
	}
	select {
	case rep := <-req.reply:
		return rep, rep.err
	case <-a.done:
		return reply{}, ErrStopped
	case <-ctx.Done():
		return reply{}, ctx.Err()
	}
}

// Submit sends a new order to the book.
func (a *Actor) Submit(ctx context.Context, o *Order) ([]Trade, error) {
	rep, err := a.call(ctx, request{kind: reqSubmit, order: o})
	return rep.trades, err
}

// Cancel cancels a resting order.
func (a *Actor) Cancel(ctx context.Context, id uint64) (bool, error) {
	rep, err := a.call(ctx, request{kind: reqCancel, id: id})
	return rep.ok, err
}

// Depth returns up to n aggregated levels per side.
func (a *Actor) Depth(ctx context.Context, n int) (Depth, error) {
	rep, err := a.call(ctx, request{kind: reqDepth, n: n})
	return rep.depth, err
}

// Snapshot copies the resting orders of the book.
func (a *Actor) Snapshot(ctx context.Context) ([]Order, error) {
	rep, err := a.call(ctx, request{kind: reqSnapshot})
	return rep.orders, err
}
