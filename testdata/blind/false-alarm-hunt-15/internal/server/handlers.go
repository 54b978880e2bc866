package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"example.com/fah15/internal/group"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/store"
)

func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	ctx, span := s.tracer.Start(r.Context(), "GET /orders/{id}")
	defer span.End()
	timer := metrics.NewTimer(s.reqDur)
	defer timer.ObserveDuration()

	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	o, err := s.store.GetOrder(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		span.RecordError(err)
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

type createReq struct {
	Customer string       `json:"customer"`
	Items    []store.Item `json:"items"`
}

func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	ctx, span := s.tracer.Start(r.Context(), "POST /orders")
	defer span.End()

	var req createReq
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	defer s.audit(ctx, "create_order", req.Customer) // HAZ defer-blocking-call

	var total int64
	for _, it := range req.Items {
		total += it.PriceCents * int64(it.Qty)
	}
	id, err := s.store.PlaceOrder(ctx, store.Order{Customer: req.Customer, TotalCents: total}, req.Items)
	if err != nil {
		span.RecordError(err)
		http.Error(w, "could not place order", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// audit records an action synchronously.
func (s *Server) audit(ctx context.Context, action, who string) {
	if err := s.writeAudit(ctx, auditEvent{action: action, who: who, at: time.Now()}); err != nil {
		s.log.Error("audit failed", "action", action, "err", err)
	}
}

// auditAsync queues an audit event without ever blocking the caller.
func (s *Server) auditAsync(action, who string) {
	select {
	case s.auditq <- auditEvent{action: action, who: who, at: time.Now()}:
	default:
		s.dropped.Inc()
	}
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	ctx, span := s.tracer.Start(r.Context(), "POST /orders/{id}/cancel")
	defer span.End()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	who := r.Header.Get("X-User")
	defer s.auditAsync("cancel_order", who)

	if err := s.store.UpdateStatus(ctx, id, "cancelled"); err != nil {
		span.RecordError(err)
		http.Error(w, "cancel failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type quoteResult struct {
	cents int64
	err   error
}

func (s *Server) handleQuote(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	sku := r.PathValue("sku")

	ch := make(chan quoteResult)
	go func() {
		cents, err := s.pricer.Quote(ctx, sku)
		ch <- quoteResult{cents, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, "quote failed", http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int64{"cents": res.cents})
	case <-ctx.Done():
		http.Error(w, "quote timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleStock(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	sku := r.PathValue("sku")

	ch := make(chan quoteResult, 1)
	go func() {
		cents, err := s.pricer.Quote(ctx, sku)
		ch <- quoteResult{cents, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, "stock lookup failed", http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"available": res.cents > 0})
	case <-ctx.Done():
		http.Error(w, "stock lookup timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleBatchQuote(w http.ResponseWriter, r *http.Request) {
	var skus []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&skus); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	quotes, err := s.quoteAll(r.Context(), skus)
	if err != nil {
		http.Error(w, "quote failed", http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, quotes)
}

func (s *Server) quoteAll(ctx context.Context, skus []string) (map[string]int64, error) {
	g, ctx := group.WithContext(ctx)
	g.SetLimit(8)
	prices := make([]int64, len(skus))
	for i, sku := range skus {
		g.Go(func() error {
			c, err := s.pricer.Quote(ctx, sku)
			prices[i] = c
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(skus))
	for i, sku := range skus {
		out[sku] = prices[i]
	}
	return out, nil
}
