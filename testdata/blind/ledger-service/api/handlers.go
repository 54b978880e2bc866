// Package api exposes the ledger over HTTP.
package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/txsvc/audit"
	"example.com/txsvc/idem"
	"example.com/txsvc/ledger"
)

const sqlInsertOutbox = "INSERT INTO outbox (topic, payload) VALUES (?, ?)"

// Notifier tells other systems about completed operations.
type Notifier interface {
	Notify(ctx context.Context, event string, v any) error
}

type logNotifier struct{ l *log.Logger }

func (n logNotifier) Notify(_ context.Context, event string, v any) error {
	n.l.Printf("notify %s: %+v", event, v)
	return nil
}

type nopAudit struct{}

func (nopAudit) Record(string, string, error) {}

// Config wires a Server.
type Config struct {
	Store    *ledger.Store
	Idem     *idem.Cache
	Audit    ledger.Auditor
	Events   chan<- audit.Event
	Notifier Notifier
	Logger   *log.Logger
	Timeout  time.Duration
}

// Server holds the handlers' dependencies.
type Server struct {
	store    *ledger.Store
	db       *sql.DB
	idem     *idem.Cache
	audit    ledger.Auditor
	events   chan<- audit.Event
	notifier Notifier
	log      *log.Logger
	timeout  time.Duration
}

// NewServer builds a Server from cfg.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard, "", 0)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Notifier == nil {
		cfg.Notifier = logNotifier{cfg.Logger}
	}
	if cfg.Audit == nil {
		cfg.Audit = nopAudit{}
	}
	if cfg.Idem == nil {
		cfg.Idem = idem.New(24*time.Hour, 100000)
	}
	return &Server{
		store:    cfg.Store,
		db:       cfg.Store.DB(),
		idem:     cfg.Idem,
		audit:    cfg.Audit,
		events:   cfg.Events,
		notifier: cfg.Notifier,
		log:      cfg.Logger,
		timeout:  cfg.Timeout,
	}
}

// Routes returns the HTTP handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /accounts", s.handleCreateAccount)
	mux.HandleFunc("POST /transfers", s.handleTransfer)
	mux.HandleFunc("POST /transfers/batch", s.handleBatch)
	mux.HandleFunc("POST /transfers/{id}/reverse", s.handleReverse)
	mux.HandleFunc("POST /transfers/{id}/refund", s.handleRefund)
	mux.HandleFunc("GET /accounts/{id}/balance", s.handleBalance)
	mux.HandleFunc("GET /accounts/{id}/balance/live", s.handleBalanceLive)
	mux.HandleFunc("GET /accounts/{id}/statement", s.handleStatement)
	mux.HandleFunc("GET /export.csv", s.handleExport)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return s.recoverer(s.logRequests(mux))
}

func statusFor(err error) int {
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return http.StatusUnprocessableEntity
	case errors.Is(err, idem.ErrInFlight):
		return http.StatusConflict
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

func (s *Server) handleCreateAccount(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID      string `json:"id"`
		Opening int64  `json:"opening"`
	}
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	var err error
	defer func() { s.audit.Record("create_account", req.ID, err) }() // ok: closure reads err at exit
	if err = s.store.CreateAccount(r.Context(), req.ID, req.Opening); err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": req.ID})
}

func (s *Server) handleTransfer(w http.ResponseWriter, r *http.Request) {
	var t ledger.Transfer
	if err := decodeJSON(r, &t); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	var release func()
	if key != "" {
		if resp, ok := s.idem.Lookup(key); ok {
			writeRaw(w, resp.Status, resp.Body)
			return
		}
		var err error
		if release, err = s.idem.Hold(key); err != nil {
			writeError(w, statusFor(err), err)
			return
		}
	}
	defer release() // HAZ defer-nil-func
	rcpt, err := s.store.Transfer(r.Context(), t)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	body, err := json.Marshal(rcpt)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	if key != "" {
		s.idem.Store(key, idem.Response{Status: http.StatusCreated, Body: body})
	}
	writeRaw(w, http.StatusCreated, body)
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	var ts []ledger.Transfer
	if err := decodeJSON(r, &ts); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	release := func() {}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		rel, err := s.idem.Hold(key)
		if err != nil {
			writeError(w, statusFor(err), err)
			return
		}
		release = rel
	}
	defer release() // ok: never nil
	if err := s.store.BatchTransferLocked(r.Context(), ts); err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int{"applied": len(ts)})
}

func (s *Server) track(ev audit.Event) {
	if s.events == nil {
		return
	}
	select {
	case s.events <- ev:
	default: // ok: drop rather than block the response
	}
}

func (s *Server) handleBalance(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	defer s.track(audit.Event{Op: "balance", Ref: id}) // ok: non-blocking send
	bal, err := s.store.Balance(ctx, id)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "balance": bal})
}

func (s *Server) handleBalanceLive(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	type res struct {
		bal int64
		err error
	}
	ch := make(chan res)
	go func() { // HAZ goroutine-blocked-send
		b, err := s.store.Balance(context.Background(), id)
		ch <- res{b, err}
	}()
	select {
	case out := <-ch:
		if out.err != nil {
			writeError(w, statusFor(out.err), out.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "balance": out.bal})
	case <-r.Context().Done():
		return
	case <-time.After(s.timeout):
		writeError(w, http.StatusGatewayTimeout, fmt.Errorf("balance %s: timed out", id))
	}
}

// recordAccess stores an "account viewed" event for the compliance feed.
func (s *Server) recordAccess(ctx context.Context, account, what string) {
	payload, _ := json.Marshal(map[string]string{"account": account, "what": what})
	if _, err := s.db.ExecContext(ctx, sqlInsertOutbox, "account.viewed", payload); err != nil {
		s.log.Printf("record access %s: %v", account, err)
	}
}

func (s *Server) handleStatement(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.recordAccess(r.Context(), id, "statement") // HAZ defer-blocking-call
	es, err := s.store.Statement(r.Context(), id)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, es)
}

func (s *Server) notify(event string, v any) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.notifier.Notify(ctx, event, v); err != nil {
		s.log.Printf("notify %s: %v", event, err)
	}
}

func (s *Server) notifySafe(event string, v any) {
	defer s.logPanic("notify " + event)
	s.notify(event, v)
}

func (s *Server) handleReverse(w http.ResponseWriter, r *http.Request) {
	defer s.recoverJSON(w)
	var orig ledger.Transfer
	if err := decodeJSON(r, &orig); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	orig.ID = r.PathValue("id")
	rcpt, err := s.store.Reverse(r.Context(), orig)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	go s.notify("transfer.reversed", rcpt) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusOK, rcpt)
}

func (s *Server) handleRefund(w http.ResponseWriter, r *http.Request) {
	defer s.recoverJSON(w)
	var req struct {
		Original ledger.Transfer `json:"original"`
		Amount   int64           `json:"amount"`
	}
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	req.Original.ID = r.PathValue("id")
	rcpt, err := s.store.Refund(r.Context(), req.Original, req.Amount)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	go s.notifySafe("transfer.refunded", rcpt) // ok: notifySafe recovers on its own goroutine
	writeJSON(w, http.StatusOK, rcpt)
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	accts, err := s.store.Accounts(r.Context())
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	rows := make([]audit.Row, 0, len(accts))
	for _, a := range accts {
		rows = append(rows, audit.Row{Account: a.ID, Balance: a.Balance})
	}
	w.Header().Set("Content-Type", "text/csv")
	if err := audit.WriteCSV(w, rows); err != nil {
		s.log.Printf("export: %v", err)
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- s.db.PingContext(ctx) }() // ok: buffered result
	select {
	case err := <-errc:
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case <-ctx.Done():
		writeError(w, http.StatusServiceUnavailable, ctx.Err())
	}
}
