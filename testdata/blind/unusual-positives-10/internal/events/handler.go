package events

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
)

// Order is the read model served by OrderHandler.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Total    int64  `json:"total"`
	Status   string `json:"status"`
}

// ErrNoOrder is returned for unknown order ids.
var ErrNoOrder = errors.New("events: no such order")

// OrderStore is an in-memory order table.
type OrderStore struct {
	mu     sync.RWMutex
	orders map[string]Order
}

// NewOrderStore returns an empty store.
func NewOrderStore() *OrderStore { return &OrderStore{orders: make(map[string]Order)} }

// Get returns the order with the given id.
func (s *OrderStore) Get(id string) (Order, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orders[id]
	return o, ok
}

// Put stores o.
func (s *OrderStore) Put(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = o
}

// SetStatus changes the status of an existing order.
func (s *OrderStore) SetStatus(id, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return ErrNoOrder
	}
	o.Status = status
	s.orders[id] = o
	return nil
}

// OrderHandler serves the order endpoints.
type OrderHandler struct {
	store *OrderStore
	sink  Sink
	views Counter
}

// NewOrderHandler wires the handler.
func NewOrderHandler(store *OrderStore, sink Sink, views Counter) *OrderHandler {
	return &OrderHandler{store: store, sink: sink, views: views}
}

// Routes registers the endpoints on mux.
func (h *OrderHandler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /orders/{id}", h.Show)
	mux.HandleFunc("GET /orders/{id}/summary", h.Summary)
	mux.HandleFunc("POST /orders/{id}/cancel", h.Cancel)
	mux.HandleFunc("GET /orders/{id}/events", h.Stream)
	mux.HandleFunc("GET /orders/{id}/poll", h.Poll)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Show returns one order and records that it was viewed.
func (h *OrderHandler) Show(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer h.sink.Emit(Event{Kind: "order.viewed", OrderID: id}) // HAZ defer-blocking-call
	o, ok := h.store.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// Summary returns the customer-facing part of an order.
func (h *OrderHandler) Summary(w http.ResponseWriter, r *http.Request) {
	defer h.views.Inc("summary")
	o, ok := h.store.Get(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": o.ID, "status": o.Status})
}

// Cancel marks an order cancelled.
func (h *OrderHandler) Cancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.store.SetStatus(id, "cancelled"); err != nil {
		if errors.Is(err, ErrNoOrder) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h.views.Inc("cancel")
	w.WriteHeader(http.StatusNoContent)
}
