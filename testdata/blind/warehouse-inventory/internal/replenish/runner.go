package replenish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/inventory/internal/stock"
	"example.com/inventory/internal/wal"
)

// Locker is a cluster-wide lock, so that only one replica replenishes at a time.
type Locker interface {
	Acquire(ctx context.Context, name string) (release func(), err error)
}

// Target is the stock policy for one SKU in one warehouse.
type Target struct {
	Warehouse string    `json:"warehouse"`
	SKU       stock.SKU `json:"sku"`
	Max       int       `json:"max"`
}

// Request is an ad-hoc replenishment request from the ops UI.
type Request struct {
	ID    string
	Order Order
}

// Runner is the background replenishment job.
type Runner struct {
	Interval   time.Duration
	Lock       Locker // optional; nil on single-replica sites
	OpsWebhook string
	SLA        time.Duration
	Pace       time.Duration // pause between sequential orders (supplier rate limit)
	Forecast   func(stock.SKU) int

	store    *stock.Store
	client   *Client
	journal  *wal.Log
	log      *log.Logger
	targets  []Target
	requests chan Request
}

// NewRunner returns a runner for the given targets.
func NewRunner(store *stock.Store, client *Client, journal *wal.Log, targets []Target, logger *log.Logger) *Runner {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Runner{
		Interval: 15 * time.Minute,
		SLA:      10 * time.Minute,
		Pace:     200 * time.Millisecond,
		Forecast: func(stock.SKU) int { return 0 },
		store:    store,
		client:   client,
		journal:  journal,
		log:      logger,
		targets:  targets,
		requests: make(chan Request, 32),
	}
}

// Submit queues an ad-hoc request; it reports false when the queue is full.
func (r *Runner) Submit(req Request) bool {
	select {
	case r.requests <- req:
		return true
	default:
		return false
	}
}

// Start runs the periodic loop and the request loop in the background. The
// returned channel is closed when the periodic loop has stopped.
func (r *Runner) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer r.recovered("replenish loop")
		r.Run(ctx)
	}()
	go func() {
		defer r.recovered("request loop")
		r.serveRequests()
	}()
	return done
}

// recovered logs a panic of a background loop; defer it directly.
func (r *Runner) recovered(where string) {
	if rec := recover(); rec != nil {
		r.log.Printf("replenish: %s panicked: %v", where, rec)
	}
}

// Run replenishes every Interval until ctx is cancelled.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.runOnce(ctx); err != nil {
				r.log.Printf("replenish: cycle failed: %v", err)
			}
		}
	}
}

// runOnce runs one cycle under the cluster lock, if one is configured.
func (r *Runner) runOnce(ctx context.Context) error {
	var release func()
	if r.Lock != nil {
		rel, err := r.Lock.Acquire(ctx, "replenish")
		if err != nil {
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func
	return r.cycle(ctx)
}

// RunAdhoc places the given orders right away, under the cluster lock if one
// is configured.
func (r *Runner) RunAdhoc(ctx context.Context, orders []Order) error {
	release := func() {}
	if r.Lock != nil {
		rel, err := r.Lock.Acquire(ctx, "replenish-adhoc")
		if err != nil {
			return err
		}
		release = rel
	}
	defer release()
	return errors.Join(r.placeAll(ctx, orders)...)
}

// cycle plans orders for every target at its reorder point and submits them.
func (r *Runner) cycle(ctx context.Context) error {
	defer r.notifyOps("replenishment cycle finished") // HAZ defer-blocking-call
	orders := r.planSafely()
	if len(orders) == 0 {
		return nil
	}
	quotes, err := r.quoteAll(ctx, orders)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range orders {
		if q, ok := quotes[o.SKU]; ok && q.LeadDays > 30 {
			r.log.Printf("replenish: %s has a %d day lead time", o.SKU, q.LeadDays)
		}
		if err := r.submit(ctx, o); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// notifyOps posts a message to the ops webhook.
func (r *Runner) notifyOps(msg string) {
	if r.OpsWebhook == "" {
		return
	}
	resp, err := http.Post(r.OpsWebhook, "text/plain", strings.NewReader(msg))
	if err != nil {
		r.log.Printf("replenish: ops webhook: %v", err)
		return
	}
	resp.Body.Close()
}

// notifyOpsCtx posts a message to the ops webhook, bounded by ctx.
func (r *Runner) notifyOpsCtx(ctx context.Context, msg string) error {
	if r.OpsWebhook == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.OpsWebhook, strings.NewReader(msg))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := r.client.http.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Plan returns an order for every target whose available stock is at or
// below its reorder point, topping it up to the target maximum.
func Plan(store *stock.Store, targets []Target) []Order {
	var orders []Order
	for _, t := range targets {
		w, ok := store.Warehouse(t.Warehouse)
		if !ok {
			continue
		}
		lvl, ok := w.Position(t.SKU)
		if !ok || lvl.Available() > lvl.Reorder {
			continue
		}
		if qty := t.Max - lvl.Available(); qty > 0 {
			orders = append(orders, Order{Warehouse: t.Warehouse, SKU: t.SKU, Qty: qty})
		}
	}
	return orders
}

// planSafely runs Plan without letting a bad target take the loop down.
func (r *Runner) planSafely() (orders []Order) {
	defer func() {
		report := func() {
			if rec := recover(); rec != nil { // HAZ recover-ineffective
				r.log.Printf("replenish: planning panicked: %v", rec)
			}
		}
		report()
	}()
	return Plan(r.store, r.targets)
}

// quoteAll asks the gateway for a quote on every ordered SKU concurrently.
func (r *Runner) quoteAll(ctx context.Context, orders []Order) (map[stock.SKU]Quote, error) {
	type result struct {
		sku stock.SKU
		q   Quote
		err error
	}
	results := make(chan result, len(orders))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, o := range orders {
		go func() {
			q, err := r.client.Quote(ctx, o.SKU)
			results <- result{o.SKU, q, err}
		}()
	}

	quotes := make(map[stock.SKU]Quote, len(orders))
	for range orders {
		select {
		case res := <-results:
			if res.err != nil {
				return nil, fmt.Errorf("quote %s: %w", res.sku, res.err)
			}
			quotes[res.sku] = res.q
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return quotes, nil
}

// submit journals an order while the supplier call is in flight.
func (r *Runner) submit(ctx context.Context, o Order) error {
	errc := make(chan error)
	go func() { errc <- r.client.PlaceOrder(ctx, o) }() // HAZ goroutine-blocked-send
	if _, err := r.journal.Append("order", o.Warehouse, string(o.SKU), o.Qty); err != nil {
		return fmt.Errorf("replenish: journal order %s/%s: %w", o.Warehouse, o.SKU, err)
	}
	return <-errc
}

// placeAll places orders concurrently and returns one error slot per order.
func (r *Runner) placeAll(ctx context.Context, orders []Order) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(orders))
	for i, o := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if o.Qty <= 0 {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = r.client.PlaceOrder(ctx, o)
		}()
	}
	wg.Wait()
	return errs
}

// PrefetchQuotes warms the gateway's quote cache for skus before a cycle. A
// panicking quote call must not take the daemon down.
func (r *Runner) PrefetchQuotes(ctx context.Context, skus []stock.SKU) {
	var wg sync.WaitGroup
	for _, sku := range skus {
		wg.Add(1)
		go func() {
			defer r.recovered("prefetch " + string(sku))
			if _, err := r.client.Quote(ctx, sku); err != nil {
				r.log.Printf("replenish: prefetch %s: %v", sku, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// placeThrottled places one order and then waits Pace, so that bulk
// replenishment stays under the supplier's rate limit.
func (r *Runner) placeThrottled(ctx context.Context, o Order) error {
	defer time.Sleep(r.Pace) // HAZ defer-blocking-call
	return r.client.PlaceOrder(ctx, o)
}

// PlaceSequential places orders one at a time, pacing them with a timer that
// also honours ctx.
func (r *Runner) PlaceSequential(ctx context.Context, orders []Order) error {
	var errs []error
	for i, o := range orders {
		if i > 0 {
			t := time.NewTimer(r.Pace)
			select {
			case <-ctx.Done():
				t.Stop()
				return errors.Join(append(errs, ctx.Err())...)
			case <-t.C:
			}
		}
		if err := r.client.PlaceOrder(ctx, o); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// PlaceBulk places orders one after the other at the supplier's pace.
func (r *Runner) PlaceBulk(ctx context.Context, orders []Order) (placed int) {
	for _, o := range orders {
		if ctx.Err() != nil {
			break
		}
		if err := r.placeThrottled(ctx, o); err != nil {
			r.log.Printf("replenish: bulk order %s/%s: %v", o.Warehouse, o.SKU, err)
			continue
		}
		placed++
	}
	return placed
}

// serveRequests handles ad-hoc requests for the life of the process.
func (r *Runner) serveRequests() {
	for req := range r.requests {
		sla := time.AfterFunc(r.SLA, func() { r.log.Printf("replenish: request %s breached its SLA", req.ID) })
		defer sla.Stop() // HAZ defer-in-infinite-loop
		r.handleRequest(req)
	}
}

// handleRequest places one ad-hoc order and tells ops, within bounded time.
func (r *Runner) handleRequest(req Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := r.notifyOpsCtx(ctx, fmt.Sprintf("ad-hoc request %s handled", req.ID)); err != nil {
			r.log.Printf("replenish: ops webhook: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), r.SLA)
	defer cancel()
	if q, err := r.quoteWithin(ctx, req.Order.SKU, 5*time.Second); err == nil {
		r.log.Printf("replenish: request %s: %s at %.2f", req.ID, q.SKU, q.UnitPrice)
	}
	if err := r.submit(ctx, req.Order); err != nil {
		r.log.Printf("replenish: request %s: %v", req.ID, err)
	}
}

// quoteWithin asks for a quote but gives up after d. The request goroutine
// never outlives ctx: its send also selects on ctx.Done.
func (r *Runner) quoteWithin(ctx context.Context, sku stock.SKU, d time.Duration) (Quote, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type result struct {
		q   Quote
		err error
	}
	ch := make(chan result)
	go func() {
		q, err := r.client.Quote(ctx, sku)
		select {
		case ch <- result{q, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case res := <-ch:
		return res.q, res.err
	case <-ctx.Done():
		return Quote{}, ctx.Err()
	}
}

// listPrice returns the supplier quote for sku, or the catalogue list price
// when the gateway does not answer within the budget.
func (r *Runner) listPrice(ctx context.Context, sku stock.SKU, list float64) float64 {
	ch := make(chan Quote)
	go func() { // HAZ goroutine-blocked-send
		if q, err := r.client.Quote(ctx, sku); err == nil {
			ch <- q
		}
	}()
	select {
	case q := <-ch:
		return q.UnitPrice
	case <-time.After(2 * time.Second):
		return list
	}
}

// EstimateCost prices a batch of orders for the buyer's approval screen.
func (r *Runner) EstimateCost(ctx context.Context, orders []Order, listPrices map[stock.SKU]float64) float64 {
	total := 0.0
	for _, o := range orders {
		total += float64(o.Qty) * r.listPrice(ctx, o.SKU, listPrices[o.SKU])
	}
	return total
}

// safeForecast returns the forecast demand for sku.
func (r *Runner) safeForecast(sku stock.SKU) (units int) {
	defer func() {
		if rec := recover(); rec != nil { // HAZ recover-swallows-panic
			// the forecast model sometimes panics on brand-new SKUs; treat as no demand
		}
	}()
	return r.Forecast(sku)
}

// ForecastAll returns the forecast demand of every SKU, computed concurrently.
// All senders are joined before the results channel is closed.
func (r *Runner) ForecastAll(skus []stock.SKU) map[stock.SKU]int {
	type result struct {
		sku   stock.SKU
		units int
	}
	results := make(chan result, len(skus))
	var wg sync.WaitGroup
	for _, sku := range skus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- result{sku, r.safeForecast(sku)}
		}()
	}
	wg.Wait()
	close(results)
	out := make(map[stock.SKU]int, len(skus))
	for res := range results {
		out[res.sku] = res.units
	}
	return out
}
