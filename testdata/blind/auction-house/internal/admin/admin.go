// Package admin serves the operators' HTTP API: list and close lots,
// change reserves, run settlement and download ledgers.
package admin

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"example.com/auction/internal/auction"
	"example.com/auction/internal/notify"
	"example.com/auction/internal/settlement"
)

// Settler runs settlement on demand.
type Settler interface {
	Run(ctx context.Context, day time.Time) (string, error)
	Entries(ctx context.Context, day time.Time) ([]settlement.Entry, error)
}

// Admin holds the handlers' dependencies.
type Admin struct {
	reg     *auction.Registry
	hub     *notify.Hub
	settler Settler // nil when settlement runs elsewhere
	audit   *Auditor
	log     *log.Logger
	started time.Time
}

// New returns the admin API.
func New(reg *auction.Registry, hub *notify.Hub, settler Settler, audit *Auditor, l *log.Logger) *Admin {
	return &Admin{reg: reg, hub: hub, settler: settler, audit: audit, log: l, started: time.Now()}
}

// Routes returns the handler tree, wrapped in panic recovery.
func (a *Admin) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/lots", a.handleLots)
	mux.HandleFunc("/lots/close", a.handleClose)
	mux.HandleFunc("/lots/reserve", a.handleReserve)
	mux.HandleFunc("/settle", a.handleSettle)
	mux.HandleFunc("/ledger", a.handleLedger)
	mux.HandleFunc("/ledger.gz", a.handleLedgerGz)
	mux.HandleFunc("/ping", a.handlePing)
	return recoverMiddleware(a.log, mux)
}

// recoverMiddleware turns a handler panic into a 500 and a log line.
func recoverMiddleware(l *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				l.Printf("admin: panic serving %s: %v", r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

func (a *Admin) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"lots":   len(a.reg.IDs()),
		"uptime": time.Since(a.started).Round(time.Second).String(),
	})
}

func (a *Admin) handleLots(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.reg.ActiveLots())
}

// handlePing records that an operator console is alive; the audit line is
// best effort and never delays the answer.
func (a *Admin) handlePing(w http.ResponseWriter, r *http.Request) {
	defer a.audit.TryRecord(AuditEvent{Action: "ping", Remote: r.RemoteAddr})
	w.WriteHeader(http.StatusNoContent)
}

// handleClose closes a lot ahead of its deadline.
func (a *Admin) handleClose(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	id := r.URL.Query().Get("lot")
	defer a.audit.Record(AuditEvent{Action: "close", Lot: id, Remote: r.RemoteAddr}) // HAZ defer-blocking-call
	res, err := a.reg.Finalize(id, time.Now(), a.hub)
	switch {
	case errors.Is(err, auction.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, auction.ErrClosed):
		http.Error(w, err.Error(), http.StatusConflict)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// handleReserve changes the reserve of an open lot.
func (a *Admin) handleReserve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer r.Body.Close()
	var req struct {
		Lot     string `json:"lot"`
		Reserve int64  `json:"reserve"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.reg.SetReserve(req.Lot, req.Reserve); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	a.audit.Record(AuditEvent{Action: "reserve", Lot: req.Lot, Remote: r.RemoteAddr, Detail: strconv.FormatInt(req.Reserve, 10)})
	w.WriteHeader(http.StatusNoContent)
}

// handleSettle runs settlement for a day and returns the ledger path.
func (a *Admin) handleSettle(w http.ResponseWriter, r *http.Request) {
	if a.settler == nil {
		http.Error(w, "settlement is not enabled on this node", http.StatusNotImplemented)
		return
	}
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "bad day", http.StatusBadRequest)
		return
	}
	type outcome struct {
		path string
		err  error
	}
	done := make(chan outcome)
	go func() {
		path, err := a.settler.Run(context.Background(), day)
		done <- outcome{path, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-done:
		if o.err != nil {
			http.Error(w, o.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"ledger": o.path})
	case <-r.Context().Done():
		a.log.Printf("admin: settle %s abandoned by the client", day.Format("2006-01-02"))
	case <-time.After(30 * time.Second):
		http.Error(w, "settlement still running", http.StatusAccepted)
	}
}

// handleLedger streams a day's entries as CSV. The lookup runs in a
// goroutine whose channel has room for its one result.
func (a *Admin) handleLedger(w http.ResponseWriter, r *http.Request) {
	if a.settler == nil {
		http.Error(w, "settlement is not enabled on this node", http.StatusNotImplemented)
		return
	}
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "bad day", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	type result struct {
		entries []settlement.Entry
		err     error
	}
	res := make(chan result, 1)
	go func() {
		entries, err := a.settler.Entries(ctx, day)
		res <- result{entries, err}
	}()
	select {
	case x := <-res:
		if x.err != nil {
			http.Error(w, x.err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		if err := settlement.WriteCSV(w, x.entries); err != nil {
			a.log.Printf("admin: ledger %s: %v", day.Format("2006-01-02"), err)
		}
	case <-ctx.Done():
		http.Error(w, "timed out", http.StatusGatewayTimeout)
	}
}

// handleLedgerGz streams a day's ledger gzip-compressed, for the bank's
// nightly download.
func (a *Admin) handleLedgerGz(w http.ResponseWriter, r *http.Request) {
	if a.settler == nil {
		http.Error(w, "settlement is not enabled on this node", http.StatusNotImplemented)
		return
	}
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "bad day", http.StatusBadRequest)
		return
	}
	entries, err := a.settler.Entries(r.Context(), day)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := settlement.WriteCSV(zw, entries); err != nil {
		a.log.Printf("admin: ledger.gz %s: %v", day.Format("2006-01-02"), err)
	}
}
