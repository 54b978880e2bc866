// Package api exposes the ledger over HTTP.
package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"example.com/payments/idempotency"
	"example.com/payments/ledger"
)

// Handler serves the ledger API.
type Handler struct {
	ledger   *ledger.Ledger
	idem     *idempotency.Cache
	log      *log.Logger
	client   *http.Client
	auditURL string
	auditQ   chan auditEvent
}

type auditEvent struct {
	Action string    `json:"action"`
	Ref    string    `json:"ref"`
	At     time.Time `json:"at"`
}

type amountResult struct {
	amount ledger.Amount
	err    error
}

// NewHandler wires the API. Audit events go to auditURL, the compliance
// service.
func NewHandler(l *ledger.Ledger, idem *idempotency.Cache, logger *log.Logger, auditURL string) *Handler {
	return &Handler{
		ledger:   l,
		idem:     idem,
		log:      logger,
		client:   http.DefaultClient,
		auditURL: auditURL,
		auditQ:   make(chan auditEvent, 256),
	}
}

// Routes returns the API's handler tree.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/entries", h.PostEntry)
	mux.HandleFunc("POST /v1/entries/{id}/reverse", h.ReverseEntry)
	mux.HandleFunc("POST /v1/transfers", h.CreateTransfer)
	mux.HandleFunc("GET /v1/accounts/{account}/balance", h.GetBalance)
	mux.HandleFunc("GET /v1/accounts/{account}/summary", h.GetSummary)
	mux.HandleFunc("GET /v1/export", h.Export)
	mux.HandleFunc("GET /v1/export/entries", h.ExportEntries)
	mux.HandleFunc("GET /v1/entries/{id}", h.GetEntry)
	mux.HandleFunc("POST /v1/adjustments", h.Adjust)
	mux.HandleFunc("GET /healthz", h.Health)
	return withRecover(h.log, withRequestLog(h.log, mux))
}

// PostEntry books a journal entry exactly once per Idempotency-Key.
func (h *Handler) PostEntry(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		writeError(w, http.StatusBadRequest, errors.New("missing Idempotency-Key header"))
		return
	}
	rec, started, err := h.idem.Begin(key)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	if !started {
		if rec.State == idempotency.InFlight {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			defer cancel()
			if rec, err = h.idem.Wait(ctx, key); err != nil {
				writeError(w, http.StatusConflict, err)
				return
			}
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Status)
		_, _ = w.Write(rec.Body)
		return
	}
	status, body := h.createEntry(r)
	if err := h.idem.Complete(key, status, body); err != nil {
		h.log.Printf("api: idempotency key %s: %v", key, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (h *Handler) createEntry(r *http.Request) (int, []byte) {
	var e ledger.Entry
	if err := decodeJSON(r, &e); err != nil {
		return errorBody(http.StatusBadRequest, err)
	}
	if e.PostedAt.IsZero() {
		e.PostedAt = time.Now().UTC()
	}
	err := h.ledger.Post(r.Context(), e)
	switch {
	case err == nil:
		return jsonBody(http.StatusCreated, map[string]string{"id": e.ID})
	case errors.Is(err, ledger.ErrDuplicate):
		return errorBody(http.StatusConflict, err)
	case errors.Is(err, ledger.ErrUnbalanced):
		return errorBody(http.StatusUnprocessableEntity, err)
	default:
		h.log.Printf("api: post %s: %v", e.ID, err)
		return errorBody(http.StatusInternalServerError, errors.New("internal error"))
	}
}

// GetBalance returns the booked balance of an account.
func (h *Handler) GetBalance(w http.ResponseWriter, r *http.Request) {
	id := ledger.AccountID(r.PathValue("account"))
	ch := make(chan amountResult)
	go func() {
		bal, err := h.ledger.Balance(r.Context(), id)
		ch <- amountResult{amount: bal, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			writeError(w, http.StatusInternalServerError, res.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"account": string(id), "balance": res.amount.String()})
	case <-r.Context().Done():
		writeError(w, http.StatusServiceUnavailable, r.Context().Err())
	}
}

type summary struct {
	Account   ledger.AccountID `json:"account"`
	Balance   string           `json:"balance"`
	Held      string           `json:"held"`
	Available string           `json:"available"`
}

// GetSummary returns balance, holds and available funds, within 2 seconds.
func (h *Handler) GetSummary(w http.ResponseWriter, r *http.Request) {
	id := ledger.AccountID(r.PathValue("account"))
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	balc := make(chan amountResult, 1)
	heldc := make(chan ledger.Amount, 1)
	go func() {
		bal, err := h.ledger.Balance(ctx, id)
		balc <- amountResult{amount: bal, err: err}
	}()
	go func() { heldc <- h.ledger.Held(id) }()
	var bal ledger.Amount
	select {
	case res := <-balc:
		if res.err != nil {
			writeError(w, http.StatusInternalServerError, res.err)
			return
		}
		bal = res.amount
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, ctx.Err())
		return
	}
	held := <-heldc
	writeJSON(w, http.StatusOK, summary{Account: id, Balance: bal.String(), Held: held.String(), Available: (bal - held).String()})
}

type transferRequest struct {
	ID       string           `json:"id"`
	From     ledger.AccountID `json:"from"`
	To       ledger.AccountID `json:"to"`
	Amount   string           `json:"amount"`
	Currency string           `json:"currency"`
}

// CreateTransfer moves funds between two customer accounts.
func (h *Handler) CreateTransfer(w http.ResponseWriter, r *http.Request) {
	var req transferRequest
	if err := decodeJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	amt, err := ledger.ParseAmount(req.Amount)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	defer h.audit(r.Context(), "transfer", req.ID) // HAZ defer-blocking-call
	if err := h.ledger.TransferChecked(r.Context(), req.ID, req.From, req.To, amt, req.Currency); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, ledger.ErrInsufficientFunds) {
			status = http.StatusUnprocessableEntity
		}
		writeError(w, status, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": req.ID})
}

// ReverseEntry books the reversal of an entry. The audit record is sent on
// the way out, bounded to a quarter of a second.
func (h *Handler) ReverseEntry(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 250*time.Millisecond)
		defer cancel()
		h.audit(ctx, "reverse", id)
	}()
	if err := h.ledger.Reverse(r.Context(), id); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, ledger.ErrNotFound) {
			status = http.StatusNotFound
		}
		writeError(w, status, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// audit records an action with the compliance service.
func (h *Handler) audit(ctx context.Context, action, ref string) {
	body, err := json.Marshal(auditEvent{Action: action, Ref: ref, At: time.Now().UTC()})
	if err != nil {
		h.log.Printf("api: audit %s %s: %v", action, ref, err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.auditURL, bytes.NewReader(body))
	if err != nil {
		h.log.Printf("api: audit %s %s: %v", action, ref, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		h.log.Printf("api: audit %s %s: %v", action, ref, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		h.log.Printf("api: audit %s %s: compliance service answered %s", action, ref, resp.Status)
	}
}

// auditAsync queues an audit record for ShipAudit, dropping it when the queue
// is full rather than slowing the request down.
func (h *Handler) auditAsync(action, ref string) {
	select {
	case h.auditQ <- auditEvent{Action: action, Ref: ref, At: time.Now().UTC()}:
	default:
		h.log.Printf("api: audit queue full, dropped %s %s", action, ref)
	}
}

// ShipAudit forwards queued audit records until ctx ends.
func (h *Handler) ShipAudit(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-h.auditQ:
			func() {
				ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				h.audit(ctx, ev.Action, ev.Ref)
			}()
		}
	}
}

// Export streams the balances of the requested accounts as CSV.
func (h *Handler) Export(w http.ResponseWriter, r *http.Request) {
	defer func() { logPanic(h.log, "export "+r.URL.RawQuery) }()
	defer h.auditAsync("export", r.URL.RawQuery)
	w.Header().Set("Content-Type", "text/csv")
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"account", "balance", "held"}); err != nil {
		return
	}
	for _, raw := range strings.Split(r.URL.Query().Get("accounts"), ",") {
		id := ledger.AccountID(strings.TrimSpace(raw))
		if id == "" {
			continue
		}
		bal, err := h.ledger.Balance(r.Context(), id)
		if err != nil {
			h.log.Printf("api: export %s: %v", id, err)
			continue
		}
		if err := cw.Write([]string{string(id), bal.String(), h.ledger.Held(id).String()}); err != nil {
			return
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.log.Printf("api: export: %v", err)
	}
}

// logPanic logs a panic with its stack so that a failing export does not go
// unnoticed.
func logPanic(logger *log.Logger, what string) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		logger.Printf("api: panic in %s: %v\n%s", what, rec, debug.Stack())
	}
}

// Health answers the load balancer.
func (h *Handler) Health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if _, err := h.ledger.Balance(ctx, "platform:health"); err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}

// ExportEntries streams the requested entries as gzipped JSON lines.
func (h *Handler) ExportEntries(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(zw)
	for _, id := range ids {
		e, err := h.ledger.Entry(r.Context(), strings.TrimSpace(id))
		if err != nil {
			h.log.Printf("api: export entry %s: %v", id, err)
			continue
		}
		if err := enc.Encode(e); err != nil {
			h.log.Printf("api: export entries: %v", err)
			return
		}
	}
}

// GetEntry returns one booked entry. Compliance requires every read of an
// entry to be audited.
func (h *Handler) GetEntry(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer h.auditSync("read-entry", id) // HAZ defer-blocking-call
	e, err := h.ledger.Entry(r.Context(), id)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, ledger.ErrNotFound) {
			status = http.StatusNotFound
		}
		writeError(w, status, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// auditSync queues an audit record for ShipAudit, waiting for room: unlike
// auditAsync it never drops a record.
func (h *Handler) auditSync(action, ref string) {
	h.auditQ <- auditEvent{Action: action, Ref: ref, At: time.Now().UTC()}
}

// Adjust books a manual adjustment made by the support team and reports it to
// the compliance service in the background.
func (h *Handler) Adjust(w http.ResponseWriter, r *http.Request) {
	defer h.recoverRequest(w, r)
	var e ledger.Entry
	if err := decodeJSON(r, &e); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	e.Memo = "manual adjustment: " + e.Memo
	if err := h.ledger.Post(r.Context(), e); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	go h.audit(context.WithoutCancel(r.Context()), "adjust", e.ID) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusCreated, map[string]string{"id": e.ID})
}

// recoverRequest answers 500 when the handler it is deferred in panics.
func (h *Handler) recoverRequest(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		h.log.Printf("api: panic in %s %s: %v", r.Method, r.URL.Path, rec)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
