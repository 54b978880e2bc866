// Package httpapi serves the HTTP endpoints used by warehouse ops staff.
package httpapi

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"sort"
	"strconv"
	"time"

	"example.com/inventory/internal/replenish"
	"example.com/inventory/internal/reserve"
	"example.com/inventory/internal/stock"
)

// QuoteSource returns supplier quotes.
type QuoteSource interface {
	Quote(ctx context.Context, sku stock.SKU) (replenish.Quote, error)
}

// AuditEvent is one operator action.
type AuditEvent struct {
	At     time.Time
	User   string
	Action string
	Detail string
}

// API holds the handlers' dependencies.
type API struct {
	// Recount runs a full recount of one warehouse.
	Recount func(warehouse string) error

	store  *stock.Store
	res    *reserve.Manager
	quotes QuoteSource
	log    *log.Logger
	audit  chan AuditEvent
}

// New returns the API.
func New(store *stock.Store, res *reserve.Manager, quotes QuoteSource, logger *log.Logger) *API {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &API{
		Recount: func(string) error { return nil },
		store:   store,
		res:     res,
		quotes:  quotes,
		log:     logger,
		audit:   make(chan AuditEvent, 256),
	}
}

// Routes returns the HTTP handler with all endpoints.
func (a *API) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stock/{warehouse}/{sku}", a.handleStock)
	mux.HandleFunc("GET /low/{warehouse}", a.handleLowStock)
	mux.HandleFunc("POST /reservations", a.handleReserve)
	mux.HandleFunc("DELETE /reservations/{id}", a.handleRelease)
	mux.HandleFunc("GET /quotes/{sku}", a.handleQuote)
	mux.HandleFunc("GET /leadtime/{sku}", a.handleLeadTime)
	mux.HandleFunc("POST /recount/{warehouse}", a.handleRecount)
	mux.HandleFunc("GET /export/{warehouse}", a.handleExport)
	mux.HandleFunc("POST /adjust/{warehouse}/{sku}", a.handleAdjust)
	return a.withRecover(mux)
}

// withRecover turns a handler panic into a 500 and a log line.
func (a *API) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				a.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// RunAuditor writes audit events to out until ctx is cancelled.
func (a *API) RunAuditor(ctx context.Context, out io.Writer) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-a.audit:
			if _, err := fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", ev.At.UTC().Format(time.RFC3339), ev.User, ev.Action, ev.Detail); err != nil {
				return err
			}
		}
	}
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("httpapi: write response: %v", err)
	}
}

// operator returns the operator name set by the ops proxy.
func operator(r *http.Request) string {
	if u := r.Header.Get("X-Operator"); u != "" {
		return u
	}
	return "unknown"
}

func (a *API) handleStock(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.store.Warehouse(r.PathValue("warehouse"))
	if !ok {
		http.Error(w, "unknown warehouse", http.StatusNotFound)
		return
	}
	lvl, ok := wh.Position(stock.SKU(r.PathValue("sku")))
	if !ok {
		http.Error(w, "unknown SKU", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{
		"on_hand":   lvl.OnHand,
		"reserved":  lvl.Reserved,
		"available": lvl.Available(),
		"reorder":   lvl.Reorder,
	})
}

func (a *API) handleLowStock(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.store.Warehouse(r.PathValue("warehouse"))
	if !ok {
		http.Error(w, "unknown warehouse", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, wh.ReorderReport())
}

// reportPanic logs a recovered handler panic and answers 500.
func (a *API) reportPanic(w http.ResponseWriter, r *http.Request, rec any) {
	if rec == nil {
		return
	}
	a.log.Printf("httpapi: panic in %s %s: %v", r.Method, r.URL.Path, rec)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (a *API) handleAdjust(w http.ResponseWriter, r *http.Request) {
	defer a.reportPanic(w, r, recover()) // HAZ recover-ineffective
	wh, ok := a.store.Warehouse(r.PathValue("warehouse"))
	if !ok {
		http.Error(w, "unknown warehouse", http.StatusNotFound)
		return
	}
	delta, err := strconv.Atoi(r.URL.Query().Get("delta"))
	if err != nil || delta == 0 {
		http.Error(w, "delta must be a non-zero integer", http.StatusBadRequest)
		return
	}
	if err := wh.Adjust(stock.SKU(r.PathValue("sku")), delta); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleReserve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Warehouse string    `json:"warehouse"`
		SKU       stock.SKU `json:"sku"`
		Qty       int       `json:"qty"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	ev := AuditEvent{At: time.Now(), User: operator(r), Action: "reserve"}
	defer func() { a.audit <- ev }() // HAZ defer-blocking-call
	res, err := a.res.Hold(req.Warehouse, req.SKU, req.Qty)
	if err != nil {
		ev.Detail = "failed: " + err.Error()
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	ev.Detail = res.ID
	writeJSON(w, http.StatusCreated, res)
}

func (a *API) handleRelease(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ev := AuditEvent{At: time.Now(), User: operator(r), Action: "release", Detail: id}
	defer func() {
		select {
		case a.audit <- ev:
		default:
			a.log.Printf("httpapi: audit queue full, dropped %s %s by %s", ev.Action, ev.Detail, ev.User)
		}
	}()
	if err := a.res.Cancel(id); err != nil {
		ev.Detail += " failed: " + err.Error()
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleQuote(w http.ResponseWriter, r *http.Request) {
	sku := stock.SKU(r.PathValue("sku"))
	type result struct {
		q   replenish.Quote
		err error
	}
	ch := make(chan result)
	go func() { q, err := a.quotes.Quote(r.Context(), sku); ch <- result{q, err} }() // HAZ goroutine-blocked-send
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, res.q)
	case <-time.After(2 * time.Second):
		http.Error(w, "supplier quote timed out", http.StatusGatewayTimeout)
	}
}

func (a *API) handleLeadTime(w http.ResponseWriter, r *http.Request) {
	sku := stock.SKU(r.PathValue("sku"))
	type result struct {
		q   replenish.Quote
		err error
	}
	ch := make(chan result, 1)
	go func() {
		q, err := a.quotes.Quote(r.Context(), sku)
		ch <- result{q, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"lead_days": res.q.LeadDays})
	case <-r.Context().Done():
		// client went away; the goroutine's send fits in the buffer
	}
}

func (a *API) handleRecount(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			a.log.Printf("httpapi: recount handler panic: %v", rec)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	wh := r.PathValue("warehouse")
	if _, ok := a.store.Warehouse(wh); !ok {
		http.Error(w, "unknown warehouse", http.StatusNotFound)
		return
	}
	go a.recount(wh) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// recount runs a full recount in the background and logs the outcome.
func (a *API) recount(wh string) {
	start := time.Now()
	if err := a.Recount(wh); err != nil {
		a.log.Printf("httpapi: recount of %s failed: %v", wh, err)
		return
	}
	a.log.Printf("httpapi: recount of %s finished in %v", wh, time.Since(start))
}

func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	wh, ok := a.store.Warehouse(r.PathValue("warehouse"))
	if !ok {
		http.Error(w, "unknown warehouse", http.StatusNotFound)
		return
	}
	snap := wh.Snapshot()
	skus := make([]stock.SKU, 0, len(snap))
	for sku := range snap {
		skus = append(skus, sku)
	}
	sort.Slice(skus, func(i, j int) bool { return skus[i] < skus[j] })

	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	cw := csv.NewWriter(zw)
	cw.Write([]string{"sku", "on_hand", "reserved", "reorder"})
	for _, sku := range skus {
		l := snap[sku]
		cw.Write([]string{string(sku), strconv.Itoa(l.OnHand), strconv.Itoa(l.Reserved), strconv.Itoa(l.Reorder)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		a.log.Printf("httpapi: export %s: %v", wh.ID, err)
	}
	if err := zw.Close(); err != nil {
		a.log.Printf("httpapi: export %s: %v", wh.ID, err)
	}
}
