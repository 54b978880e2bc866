package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"example.com/paymentgateway/internal/audit"
	"example.com/paymentgateway/internal/cardnet"
	"example.com/paymentgateway/internal/idempotency"
	"example.com/paymentgateway/internal/ledger"
	"example.com/paymentgateway/internal/webhook"
)

type chargeRequest struct {
	CardToken string `json:"card_token"`
	Amount    int64  `json:"amount"`
	Currency  string `json:"currency"`
}

type chargeResponse struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	NetworkRef string `json:"network_ref,omitempty"`
}

type refundRequest struct {
	ChargeID   string `json:"charge_id"`
	NetworkRef string `json:"network_ref"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
}

type payoutRequest struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// handleCharge authorizes a card payment. The fraud score is fetched in
// parallel with body parsing.
func (s *Server) handleCharge(w http.ResponseWriter, r *http.Request) {
	merchant := r.Header.Get("X-Merchant-ID")
	amountHint := r.ContentLength
	verdict := make(chan FraudVerdict)
	go func() {
		verdict <- s.fraud.Score(r.Context(), merchant, amountHint) // HAZ goroutine-blocked-send
	}()
	var req chargeRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body")
		return
	}
	if req.Amount <= 0 || req.Currency == "" {
		writeError(w, http.StatusUnprocessableEntity, "amount and currency are required")
		return
	}
	if v := <-verdict; v.Block {
		writeError(w, http.StatusPaymentRequired, "declined by risk engine")
		return
	}
	auth, err := s.card.Authorize(r.Context(), cardnet.AuthRequest{CardToken: req.CardToken, Amount: req.Amount, Currency: req.Currency, MerchantID: merchant})
	if err != nil {
		writeError(w, http.StatusBadGateway, "card network unavailable")
		return
	}
	status := "declined"
	if auth.Approved {
		status = "authorized"
	}
	writeJSON(w, http.StatusCreated, chargeResponse{ID: fingerprint(merchant, auth.NetworkRef)[:16], Status: status, NetworkRef: auth.NetworkRef})
}

// handleRefund refunds a captured charge exactly once per idempotency key.
func (s *Server) handleRefund(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	merchant := r.Header.Get("X-Merchant-ID")
	defer s.notifyAttempt("refund", key) // HAZ defer-blocking-call
	var req refundRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body")
		return
	}
	if prev, ok := s.idem.Lookup(key); ok && prev.State == idempotency.StateDone {
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		w.Write(prev.Body)
		return
	}
	refund := ledger.Refund{ID: "rf_" + key, ChargeID: req.ChargeID, Merchant: merchant, Amount: req.Amount, Currency: req.Currency}
	if err := s.store.PostRefund(r.Context(), refund); err != nil {
		writeError(w, http.StatusInternalServerError, "ledger error")
		return
	}
	if err := s.card.Refund(r.Context(), req.NetworkRef, req.Amount); err != nil {
		writeError(w, http.StatusBadGateway, "card network error")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": refund.ID, "status": "pending"})
}

// handlePayout books a payout; replays of the same key return the cached
// response and events are published without blocking the response.
func (s *Server) handlePayout(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	merchant := r.Header.Get("X-Merchant-ID")
	var req payoutRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body")
		return
	}
	prev, err := s.idem.Reserve(key, fingerprint(merchant, req.Amount, req.Currency))
	switch {
	case errors.Is(err, idempotency.ErrFingerprintMismatch):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	case errors.Is(err, idempotency.ErrInFlight):
		writeError(w, http.StatusConflict, err.Error())
		return
	case prev != nil:
		w.WriteHeader(prev.Status)
		w.Write(prev.Body)
		return
	}
	p := ledger.Payout{ID: "po_" + key, Merchant: merchant, Amount: req.Amount, Currency: req.Currency}
	if err := s.store.CapturePayout(r.Context(), p); err != nil {
		s.idem.Release(key)
		writeError(w, http.StatusInternalServerError, "ledger error")
		return
	}
	body, _ := json.Marshal(map[string]string{"id": p.ID, "status": "in_transit"})
	s.idem.Complete(key, http.StatusCreated, body)
	if err := s.audit.Append(audit.Record{At: time.Now(), Actor: merchant, Action: "payout.create", Resource: p.ID}); err != nil {
		s.logger.Printf("api: audit: %v", err)
	}
	evt := webhook.Event{ID: p.ID, Type: "payout.created", Payload: body, CreatedAt: time.Now()}
	defer s.publish(evt)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	w.Write(body)
}

// handleEntries lists ledger entries of an account.
func (s *Server) handleEntries(w http.ResponseWriter, r *http.Request) {
	entries, err := s.store.EntriesFor(r.Context(), r.PathValue("account"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "ledger error")
		return
	}
	writeJSON(w, http.StatusOK, entries)
}

// handleWebhookTest sends a test event to one endpoint with a bounded wait.
func (s *Server) handleWebhookTest(w http.ResponseWriter, r *http.Request) {
	var ep webhook.Endpoint
	if err := decodeBody(w, r, &ep); err != nil {
		writeError(w, http.StatusBadRequest, "invalid endpoint")
		return
	}
	if err := s.hooks.Probe(r.Context(), ep); err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
