package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"example.com/testsuites/notify"
	"example.com/testsuites/order"
	"example.com/testsuites/store"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// writeRepoError maps repository errors onto status codes.
func writeRepoError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, order.ErrInvalid):
		writeError(w, http.StatusBadRequest, err)
	case errors.Is(err, order.ErrTransition), errors.Is(err, store.ErrExists):
		writeError(w, http.StatusConflict, err)
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, err)
	default:
		writeError(w, http.StatusInternalServerError, err)
	}
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any, max int64) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", order.ErrInvalid, err)
	}
	return nil
}

func eventFor(kind string, o order.Order) notify.Event {
	return notify.Event{Type: kind, OrderID: o.ID, Status: o.Status, At: o.Updated}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"status":   "ok",
		"requests": s.requests.Load(),
		"dropped":  s.dropped.Load(),
	})
}

func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	type result struct {
		o   order.Order
		err error
	}
	ch := make(chan result)
	go func() { o, err := s.repo.Get(id); ch <- result{o, err} }() // HAZ goroutine-blocked-send
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.LookupTimeout)
	defer cancel()
	select {
	case res := <-ch:
		if res.err != nil {
			writeRepoError(w, res.err)
			return
		}
		writeJSON(w, http.StatusOK, res.o)
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, fmt.Errorf("lookup of %s timed out", id))
	}
}

// lookup reads an order with the configured timeout. The result channel
// has room for the answer, so a lookup that loses the race still ends.
func (s *Server) lookup(ctx context.Context, id string) (order.Order, error) {
	type result struct {
		o   order.Order
		err error
	}
	ch := make(chan result, 1)
	go func() {
		o, err := s.repo.Get(id)
		ch <- result{o, err}
	}()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.LookupTimeout)
	defer cancel()
	select {
	case res := <-ch:
		return res.o, res.err
	case <-ctx.Done():
		return order.Order{}, ctx.Err()
	}
}

func (s *Server) handleOrderTotal(w http.ResponseWriter, r *http.Request) {
	o, err := s.lookup(r.Context(), r.PathValue("id"))
	if err != nil {
		writeRepoError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": o.ID, "total_cents": o.Total()})
}

func (s *Server) handleListOrders(w http.ResponseWriter, r *http.Request) {
	var filter func(order.Order) bool
	if st := r.URL.Query().Get("status"); st != "" {
		want, err := order.ParseStatus(st)
		if err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		filter = func(o order.Order) bool { return o.Status == want }
	}
	if c := r.URL.Query().Get("customer"); c != "" {
		prev := filter
		filter = func(o order.Order) bool {
			return o.Customer == c && (prev == nil || prev(o))
		}
	}
	writeJSON(w, http.StatusOK, s.repo.List(filter))
}

// audit records an action on the external audit endpoint.
func (s *Server) audit(r *http.Request, action string) {
	if s.cfg.AuditURL == "" {
		return
	}
	line := fmt.Sprintf("%s %s %s %s", time.Now().UTC().Format(time.RFC3339), action, r.Method, r.URL.Path)
	resp, err := s.client.Post(s.cfg.AuditURL, "text/plain", strings.NewReader(line))
	if err != nil {
		s.log.Printf("audit %s: %v", action, err)
		return
	}
	resp.Body.Close()
}

// auditCtx is audit bounded by ctx.
func (s *Server) auditCtx(ctx context.Context, r *http.Request, action string) {
	if s.cfg.AuditURL == "" {
		return
	}
	line := fmt.Sprintf("%s %s %s", action, r.Method, r.URL.Path)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.AuditURL, strings.NewReader(line))
	if err != nil {
		s.log.Printf("audit %s: %v", action, err)
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Printf("audit %s: %v", action, err)
		return
	}
	resp.Body.Close()
}

func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	defer s.audit(r, "create") // HAZ defer-blocking-call
	var in order.Order
	if err := decodeJSON(w, r, &in, s.cfg.MaxBody); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	created, err := s.repo.Create(in)
	if err != nil {
		writeRepoError(w, err)
		return
	}
	s.publish(eventFor("order.created", created))
	w.Header().Set("Location", "/orders/"+created.ID)
	writeJSON(w, http.StatusCreated, created)
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		s.auditCtx(ctx, r, "cancel")
	}()
	o, err := s.repo.Transition(r.PathValue("id"), order.StatusCancelled)
	if err != nil {
		writeRepoError(w, err)
		return
	}
	s.publish(eventFor("order.cancelled", o))
	writeJSON(w, http.StatusOK, o)
}

// publish queues an event without ever blocking the handler.
func (s *Server) publish(ev notify.Event) {
	select {
	case s.events <- ev:
	default:
		s.dropped.Add(1)
	}
}

func (s *Server) handleTransition(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(w, r, &body, 4<<10); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	to, err := order.ParseStatus(body.Status)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	o, err := s.repo.Transition(r.PathValue("id"), to)
	if err != nil {
		writeRepoError(w, err)
		return
	}
	defer s.publish(eventFor("order."+string(o.Status), o))
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) handleBulkImport(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Printf("bulk import panic: %v", rec)
			writeError(w, http.StatusInternalServerError, errInternal)
		}
	}()
	var orders []order.Order
	if err := decodeJSON(w, r, &orders, 16*s.cfg.MaxBody); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	created := make([]order.Order, 0, len(orders))
	for i, o := range orders {
		c, err := s.repo.Create(o)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("order %d: %w", i, err))
			return
		}
		created = append(created, c)
	}
	go s.announce(created) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusCreated, created)
}

func (s *Server) announce(orders []order.Order) {
	for _, o := range orders {
		s.publish(eventFor("order.created", o))
	}
}

// logPanic logs a panic raised while serving r.
func (s *Server) logPanic(r *http.Request) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, rec)
	}
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	defer func() { s.logPanic(r) }()
	totals := map[string]int64{}
	for _, o := range s.repo.List(nil) {
		if o.Status == order.StatusCancelled {
			continue
		}
		totals[o.Customer] += o.Total()
	}
	writeJSON(w, http.StatusOK, totals)
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv")
	if err := store.ExportCSV(w, s.repo.List(nil)); err != nil {
		s.log.Printf("export: %v", err)
	}
}
