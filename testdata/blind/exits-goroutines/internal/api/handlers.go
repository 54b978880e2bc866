// Package api implements the HTTP handlers of the trading gateway.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Quote is a price quote.
type Quote struct {
	Symbol string  `json:"symbol"`
	Bid    float64 `json:"bid"`
	Ask    float64 `json:"ask"`
}

// Candle is one OHLC bar.
type Candle struct {
	Open, High, Low, Close float64
}

// QuoteService is the (slow, context-unaware) market data backend.
type QuoteService interface {
	Latest(symbol string) (Quote, error)
	Candles(symbol string, n int) ([]Candle, error)
}

// OrderRequest is the body of POST /orders.
type OrderRequest struct {
	Symbol string  `json:"symbol"`
	Qty    int     `json:"qty"`
	Limit  float64 `json:"limit"`
}

// CancelRequest is the body of POST /orders/{id}/cancel.
type CancelRequest struct {
	Reason string `json:"reason"`
}

// Store persists orders.
type Store interface {
	CreateOrder(ctx context.Context, req OrderRequest) (string, error)
	CancelOrder(ctx context.Context, id, reason string) error
	Delete(ctx context.Context, id string) error
	Export(ctx context.Context, day string) ([]string, error)
}

// Auditor writes the compliance audit trail.
type Auditor interface {
	Record(ctx context.Context, action, who string) error
}

// API bundles the handlers' dependencies.
type API struct {
	quotes  QuoteService
	store   Store
	audit   Auditor
	timeout time.Duration
}

// Routes registers the handlers.
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /quotes/{symbol}", a.handleQuote)
	mux.HandleFunc("GET /candles/{symbol}", a.handleCandles)
	mux.HandleFunc("POST /orders", a.handleCreateOrder)
	mux.HandleFunc("POST /orders/{id}/cancel", a.handleCancelOrder)
	mux.HandleFunc("POST /orders/bulk-delete", a.handleBulkDelete)
	mux.HandleFunc("GET /exports/{day}", a.handleExport)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// handleQuote answers with the latest quote, or 504 after a.timeout. On
// timeout the backend goroutine blocks on its send forever: one leaked
// goroutine per slow request.
func (a *API) handleQuote(w http.ResponseWriter, r *http.Request) {
	sym := strings.ToUpper(r.PathValue("symbol"))
	type result struct {
		q   Quote
		err error
	}
	ch := make(chan result) // HAZ goroutine-blocked-send
	go func() {
		q, err := a.quotes.Latest(sym)
		ch <- result{q, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, res.q)
	case <-time.After(a.timeout):
		http.Error(w, "quote backend timed out", http.StatusGatewayTimeout)
	}
}

// handleCandles is the same shape done right: the one-slot buffer lets the
// backend goroutine finish even when the client went away or we timed out.
func (a *API) handleCandles(w http.ResponseWriter, r *http.Request) {
	sym := strings.ToUpper(r.PathValue("symbol"))
	type result struct {
		c   []Candle
		err error
	}
	ch := make(chan result, 1) // ok: buffered for the single result
	go func() {
		c, err := a.quotes.Candles(sym, 100)
		ch <- result{c, err}
	}()
	timer := time.NewTimer(a.timeout)
	defer timer.Stop()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, res.c)
	case <-timer.C:
		http.Error(w, "candle backend timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
		// client is gone; nothing to write
	}
}

// handleCreateOrder writes the audit record concurrently with decoding the
// body. A malformed body returns before the audit result is received, and
// the audit goroutine blocks forever.
func (a *API) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	auditDone := make(chan error) // HAZ goroutine-blocked-send
	go func() {
		auditDone <- a.audit.Record(r.Context(), "create-order", r.RemoteAddr)
	}()

	var req OrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := <-auditDone; err != nil {
		http.Error(w, "audit trail unavailable", http.StatusServiceUnavailable)
		return
	}
	id, err := a.store.CreateOrder(r.Context(), req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]string{"id": id})
}

// handleCancelOrder validates everything before it starts the audit
// goroutine, and receives its result on every path after that.
func (a *API) handleCancelOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" {
		http.Error(w, "missing order id", http.StatusBadRequest)
		return
	}
	var req CancelRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}

	auditDone := make(chan error) // ok: no return between the go statement and the receive
	go func() {
		auditDone <- a.audit.Record(r.Context(), "cancel-order", r.RemoteAddr)
	}()
	err := a.store.CancelOrder(r.Context(), id, req.Reason)
	auditErr := <-auditDone

	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusConflict)
	case auditErr != nil:
		http.Error(w, "cancelled, but audit trail unavailable", http.StatusAccepted)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleBulkDelete deletes orders concurrently and streams progress. The
// deletes run on a background context so they survive a client disconnect;
// when the client disconnects we return, the deferred close runs and every
// delete finishing afterwards panics on the send.
func (a *API) handleBulkDelete(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(r.Body).Decode(&ids); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	deleted := make(chan string, len(ids))
	defer close(deleted) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			if err := a.store.Delete(context.Background(), id); err == nil {
				deleted <- id
			}
		}()
	}
	flusher, _ := w.(http.Flusher)
	for range ids {
		select {
		case id := <-deleted:
			fmt.Fprintf(w, "deleted %s\n", id)
			if flusher != nil {
				flusher.Flush()
			}
		case <-r.Context().Done():
			return
		}
	}
}

// renewExportLease keeps the export job's lease alive until stop is closed.
func (a *API) renewExportLease(stop <-chan struct{}, day string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			a.audit.Record(context.Background(), "export-lease-renew "+day, "gateway")
		}
	}
}

// handleExport streams a day's export while a lease keeper runs. stop is a
// broadcast channel: the keeper only receives from it, nobody sends on it.
func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	day := r.PathValue("day")
	stop := make(chan struct{})
	defer close(stop) // ok: the goroutine only receives from stop
	go a.renewExportLease(stop, day)

	lines, err := a.store.Export(r.Context(), day)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return
		}
	}
}
