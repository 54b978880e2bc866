package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"example.com/auction/internal/auction"
	"example.com/auction/internal/fraud"
	"example.com/auction/internal/notify"
	"example.com/auction/internal/settlement"
)

// engine glues the registry, fraud screening and notifications together
// and implements bidstream.Backend.
type engine struct {
	reg     *auction.Registry
	hub     *notify.Hub
	checks  []fraud.Check
	window  time.Duration
	results string // JSON-lines file of closed lots, read by cmd/settle
	closed  chan auction.Result
}

func newEngine(reg *auction.Registry, hub *notify.Hub, window time.Duration, results string, closed chan auction.Result) *engine {
	e := &engine{
		reg:     reg,
		hub:     hub,
		window:  window,
		results: results,
		closed:  closed,
		checks: []fraud.Check{
			fraud.NewVelocityCheck(10*time.Second, 20),
			fraud.NewShillCheck(),
		},
	}
	for _, a := range reg.Open() {
		a.Watch(e.outbidNotifier(a.Lot.ID))
	}
	return e
}

// outbidNotifier returns the watcher that tells lot's subscribers about an
// outbid bidder.
func (e *engine) outbidNotifier(lot string) func(prev, next auction.Bid) {
	return func(prev, next auction.Bid) {
		e.hub.Outbid(lot, prev.Bidder, next.Amount)
	}
}

// PlaceBid screens and places a bid, then applies the anti-sniping rule.
func (e *engine) PlaceBid(ctx context.Context, bidder, lot string, amount int64) error {
	a, err := e.reg.Get(lot)
	if err != nil {
		return err
	}
	now := time.Now()
	fb := fraud.Bid{LotID: lot, Seller: a.Lot.Seller, Bidder: bidder, Amount: amount, At: now}
	if err := fraud.Screen(ctx, fb, e.checks); err != nil {
		return fmt.Errorf("bid rejected: %w", err)
	}
	if err := a.Bid(auction.Bid{Bidder: bidder, Amount: amount, At: now}); err != nil {
		return err
	}
	if a.Extend(now, e.window) {
		log.Printf("lot %s: deadline extended to %s", lot, a.Deadline().Format(time.TimeOnly))
	}
	return nil
}

// Price returns the leading amount of lot, or the opening price.
func (e *engine) Price(lot string) (int64, error) {
	a, err := e.reg.Get(lot)
	if err != nil {
		return 0, err
	}
	if lead, ok := a.Leading(); ok {
		return lead.Amount, nil
	}
	return a.Lot.Opening, nil
}

func (e *engine) Subscribe(lot string) (*notify.Subscription, error) {
	if _, err := e.reg.Get(lot); err != nil {
		return nil, err
	}
	return e.hub.Subscribe(lot, 32), nil
}

func (e *engine) Unsubscribe(sub *notify.Subscription) { e.hub.Unsubscribe(sub) }

// drainClosed records every closed lot and announces it to the subscribers.
func (e *engine) drainClosed(ctx context.Context, closed <-chan auction.Result) {
	for {
		select {
		case <-ctx.Done():
			return
		case res := <-closed:
			if err := e.recordResult(res); err != nil {
				log.Printf("lot %s: recording result: %v", res.LotID, err)
			}
			n := notify.Notification{Kind: "closed", LotID: res.LotID, Bidder: res.Winner.Bidder, Amount: res.Winner.Amount, At: res.ClosedAt}
			got := e.hub.Announce(n, 2*time.Second)
			log.Printf("lot %s closed (sold=%t), %d subscribers told", res.LotID, res.Sold, got)
		}
	}
}

// recordResult appends res to the results file with a checked sync.
func (e *engine) recordResult(res auction.Result) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return settlement.AppendAuditSynced(e.results, string(b))
}

// openLot adds a lot during the trading day (operators list late lots)
// and starts its clock. A panic while wiring the lot becomes an error.
func (e *engine) openLot(ctx context.Context, lot auction.Lot, reserve int64, deadline time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("open lot %s: %v", lot.ID, r)
		}
	}()
	a := auction.New(lot, reserve, deadline)
	if err := e.reg.Add(a); err != nil {
		return err
	}
	a.Watch(e.outbidNotifier(lot.ID))
	go auction.NewClock(a, e.closed).Run(ctx) // HAZ goroutine-outside-recover
	return nil
}
