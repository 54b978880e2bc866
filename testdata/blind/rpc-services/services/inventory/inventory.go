// Package inventory is the stock service: items, reservations, restocks.
package inventory

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/rpcservices/interceptors"
	"example.com/rpcservices/rpc"
)

// Item is one stock-keeping unit.
type Item struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Qty        int    `json:"qty"`
	Reserved   int    `json:"reserved"`
	PriceCents int64  `json:"price_cents"`
}

// Requests and replies.
type (
	GetItemRequest struct {
		SKU string `json:"sku"`
	}
	ListRequest struct {
		Prefix string `json:"prefix"`
	}
	ReserveRequest struct {
		SKU     string `json:"sku"`
		Qty     int    `json:"qty"`
		OrderID string `json:"order_id"`
	}
	ReserveReply struct {
		ReservationID string `json:"reservation_id"`
		Remaining     int    `json:"remaining"`
	}
	ReleaseRequest struct {
		ReservationID string `json:"reservation_id"`
	}
	RestockRequest struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	}
	BulkRestockRequest struct {
		Items []RestockRequest `json:"items"`
	}
	Empty struct{}
)

type reservation struct {
	sku     string
	qty     int
	expires time.Time
}

// Stats summarises the stock.
type Stats struct {
	SKUs     int
	Units    int
	Reserved int
}

// Log writes the stats at info level.
func (st Stats) Log(l *slog.Logger, op string) {
	l.Info("inventory stats", "op", op, "skus", st.SKUs, "units", st.Units, "reserved", st.Reserved)
}

// Service implements inventory.v1.Inventory.
type Service struct {
	mu           sync.RWMutex
	items        map[string]*Item
	reservations map[string]reservation
	sem          *interceptors.Semaphore
	audit        *AuditLog
	log          *slog.Logger
	hc           *http.Client
	warehouseURL string
	audits       sync.WaitGroup
	reserveTTL   time.Duration
	seq          atomic.Int64
}

// Option configures the service.
type Option func(*Service)

// WithAudit records every stock change.
func WithAudit(a *AuditLog) Option { return func(s *Service) { s.audit = a } }

// WithConcurrency bounds concurrent reservations; nil disables the bound.
func WithConcurrency(sem *interceptors.Semaphore) Option { return func(s *Service) { s.sem = sem } }

// WithWarehouse pushes stock levels to the warehouse system.
func WithWarehouse(base string, hc *http.Client) Option {
	return func(s *Service) { s.warehouseURL, s.hc = base, hc }
}

// New returns an empty inventory.
func New(log *slog.Logger, opts ...Option) *Service {
	s := &Service{
		items:        make(map[string]*Item),
		reservations: make(map[string]reservation),
		sem:          interceptors.NewSemaphore(64),
		log:          log,
		hc:           http.DefaultClient,
		reserveTTL:   15 * time.Minute,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

const serviceName = "inventory.v1.Inventory"

// Register adds the service to an RPC server.
func (s *Service) Register(rs *rpc.Server) {
	unary := func(name string, newReq func() any, h rpc.UnaryHandler) {
		rs.RegisterUnary(serviceName, rpc.UnaryMethod{Name: name, NewRequest: newReq, Handler: h})
	}
	unary("GetItem", func() any { return new(GetItemRequest) }, s.GetItem)
	unary("Reserve", func() any { return new(ReserveRequest) }, func(ctx context.Context, req any) (any, error) {
		return s.withReservationSlot(ctx, func() (any, error) { return s.Reserve(ctx, req) })
	})
	unary("Release", func() any { return new(ReleaseRequest) }, s.Release)
	unary("Restock", func() any { return new(RestockRequest) }, s.Restock)
	unary("BulkRestock", func() any { return new(BulkRestockRequest) }, s.BulkRestock)
	rs.RegisterStream(serviceName, rpc.StreamMethod{
		Name:       "ListItems",
		NewRequest: func() any { return new(ListRequest) },
		Handler:    s.ListItems,
	})
}

// timed returns a func that logs how long op took.
func (s *Service) timed(op string) func() {
	start := time.Now()
	return func() { s.log.Debug("inventory op", "op", op, "elapsed", time.Since(start)) }
}

// GetItem returns one item.
func (s *Service) GetItem(_ context.Context, req any) (any, error) {
	defer s.timed("GetItem") // HAZ defer-func-result-not-called
	r := req.(*GetItemRequest)
	s.mu.RLock()
	defer s.mu.RUnlock()
	item, ok := s.items[r.SKU]
	if !ok {
		return nil, rpc.Errorf(rpc.NotFound, "no item %q", r.SKU)
	}
	cp := *item
	return &cp, nil
}

// ListItems streams the items whose SKU has the prefix. The items are
// copied under the read lock and sent after it is released.
func (s *Service) ListItems(_ context.Context, req any, ss *rpc.ServerStream) error {
	defer s.timed("ListItems")()
	r := req.(*ListRequest)
	for _, it := range s.matching(r.Prefix) {
		if err := ss.Send(&it); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) matching(prefix string) []Item {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Item
	for sku, it := range s.items {
		if strings.HasPrefix(sku, prefix) {
			out = append(out, *it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out
}

// Reserve holds stock for an order.
func (s *Service) Reserve(_ context.Context, req any) (any, error) {
	r := req.(*ReserveRequest)
	if r.Qty <= 0 {
		return nil, rpc.Errorf(rpc.InvalidArgument, "qty must be positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	item, ok := s.items[r.SKU]
	if !ok {
		return nil, rpc.Errorf(rpc.NotFound, "no item %q", r.SKU)
	}
	if availableLocked(item) < r.Qty {
		return nil, rpc.Errorf(rpc.FailedPrecondition, "only %d of %s left", s.Available(r.SKU), r.SKU) // HAZ lock-reentry-under-defer
	}
	item.Reserved += r.Qty
	id := fmt.Sprintf("rsv-%d", s.seq.Add(1))
	s.reservations[id] = reservation{sku: r.SKU, qty: r.Qty, expires: time.Now().Add(s.reserveTTL)}
	return &ReserveReply{ReservationID: id, Remaining: availableLocked(item)}, nil
}

// Available returns the unreserved quantity of sku.
func (s *Service) Available(sku string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	item, ok := s.items[sku]
	if !ok {
		return 0
	}
	return availableLocked(item)
}

func availableLocked(item *Item) int { return item.Qty - item.Reserved }

// Release cancels a reservation.
func (s *Service) Release(_ context.Context, req any) (any, error) {
	r := req.(*ReleaseRequest)
	s.mu.Lock()
	defer s.mu.Unlock()
	rsv, ok := s.reservations[r.ReservationID]
	if !ok {
		return nil, rpc.Errorf(rpc.NotFound, "no reservation %q", r.ReservationID)
	}
	delete(s.reservations, r.ReservationID)
	if item, ok := s.items[rsv.sku]; ok {
		item.Reserved -= rsv.qty
	}
	return &Empty{}, nil
}

// Restock adds units of one SKU, creating it if needed.
func (s *Service) Restock(_ context.Context, req any) (any, error) {
	r := req.(*RestockRequest)
	if r.Qty <= 0 {
		return nil, rpc.Errorf(rpc.InvalidArgument, "qty must be positive")
	}
	defer s.Stats().Log(s.log, "restock") // HAZ defer-call-chain
	s.mu.Lock()
	item, ok := s.items[r.SKU]
	if !ok {
		item = &Item{SKU: r.SKU, Name: r.SKU}
		s.items[r.SKU] = item
	}
	item.Qty += r.Qty
	s.mu.Unlock()
	s.recordAudit(AuditEvent{Op: "restock", SKU: r.SKU, Qty: r.Qty})
	return &Empty{}, nil
}

// BulkRestock applies several restocks.
func (s *Service) BulkRestock(_ context.Context, req any) (any, error) {
	r := req.(*BulkRestockRequest)
	for _, line := range r.Items {
		if line.Qty <= 0 {
			return nil, rpc.Errorf(rpc.InvalidArgument, "qty of %s must be positive", line.SKU)
		}
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		item, ok := s.items[line.SKU]
		if !ok {
			item = &Item{SKU: line.SKU, Name: line.SKU}
			s.items[line.SKU] = item
		}
		item.Qty += line.Qty
	}
	return &Empty{}, nil
}

// Stats computes the stock summary.
func (s *Service) Stats() Stats {
	s.mu.RLock()
	st := Stats{SKUs: len(s.items)}
	for _, it := range s.items {
		st.Units += it.Qty
		st.Reserved += it.Reserved
	}
	s.mu.RUnlock()
	return st
}

// LowStock lists the items at or below threshold available units.
func (s *Service) LowStock(threshold int) []Item {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	var out []Item
	for _, it := range s.items {
		if availableLocked(it) <= threshold {
			out = append(out, *it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out
}

// withReservationSlot runs fn under the concurrency bound, if any.
func (s *Service) withReservationSlot(ctx context.Context, fn func() (any, error)) (any, error) {
	var release func()
	if s.sem != nil {
		r, err := s.sem.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	return fn()
}

func (s *Service) expireReservations(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, rsv := range s.reservations {
		if now.Before(rsv.expires) {
			continue
		}
		delete(s.reservations, id)
		if item, ok := s.items[rsv.sku]; ok {
			item.Reserved -= rsv.qty
		}
		n++
	}
	return n
}

// ReservationJanitor releases expired reservations until ctx ends.
func (s *Service) ReservationJanitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n := s.expireReservations(now); n > 0 {
				s.log.Info("expired reservations", "count", n)
			}
		}
	}
}

func (s *Service) recordAudit(ev AuditEvent) {
	if s.audit == nil {
		return
	}
	ev.Time = time.Now()
	if err := s.audit.Record(ev); err != nil {
		s.log.Warn("audit", "err", err)
	}
}
