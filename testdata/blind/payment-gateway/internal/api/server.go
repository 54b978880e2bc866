// Package api is the gateway's public HTTP API.
package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/paymentgateway/internal/audit"
	"example.com/paymentgateway/internal/cardnet"
	"example.com/paymentgateway/internal/idempotency"
	"example.com/paymentgateway/internal/ledger"
	"example.com/paymentgateway/internal/webhook"
)

// FraudVerdict is the risk engine's answer.
type FraudVerdict struct {
	Score int
	Block bool
}

// FraudScorer scores a payment attempt.
type FraudScorer interface {
	Score(ctx context.Context, merchantID string, amount int64) FraudVerdict
}

// Config wires the server's dependencies.
type Config struct {
	Store     *ledger.Store
	Idem      *idempotency.Cache
	Card      *cardnet.Client
	Hooks     *webhook.Dispatcher
	Endpoints func(merchantID string) []webhook.Endpoint
	Audit     *audit.Logger
	Fraud     FraudScorer
	Logger    *log.Logger
}

// Server serves the payments API.
type Server struct {
	store     *ledger.Store
	idem      *idempotency.Cache
	card      *cardnet.Client
	hooks     *webhook.Dispatcher
	endpoints func(string) []webhook.Endpoint
	audit     *audit.Logger
	fraud     FraudScorer
	logger    *log.Logger
	limiter   *merchantLimiter

	events chan webhook.Event
	wg     sync.WaitGroup
}

// NewServer builds a server from cfg.
func NewServer(cfg Config) *Server {
	return &Server{
		store:     cfg.Store,
		idem:      cfg.Idem,
		card:      cfg.Card,
		hooks:     cfg.Hooks,
		endpoints: cfg.Endpoints,
		audit:     cfg.Audit,
		fraud:     cfg.Fraud,
		logger:    cfg.Logger,
		limiter:   newMerchantLimiter(100),
		events:    make(chan webhook.Event, 64),
	}
}

// Routes returns the API's handler with middleware applied.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/charges", s.handleCharge)
	mux.HandleFunc("POST /v1/refunds", s.handleRefund)
	mux.HandleFunc("POST /v1/payouts", s.handlePayout)
	mux.HandleFunc("GET /v1/accounts/{account}/entries", s.handleEntries)
	mux.HandleFunc("POST /internal/webhooks/test", s.guardAdmin(s.handleWebhookTest))
	return s.requestLog(recoverMiddleware(s.logger, s.rateLimit(mux)))
}

// Start launches the event pump; Shutdown stops it.
func (s *Server) Start(ctx context.Context) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runEventPump(ctx)
	}()
}

// Shutdown waits for the event pump to drain, bounded by ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("api: event pump did not stop: %w", ctx.Err())
	}
}

func (s *Server) runEventPump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-s.events:
			merchant := evt.Type
			for _, ep := range s.endpoints(merchant) {
				if err := s.hooks.QuickDeliver(ctx, ep, evt); err != nil {
					s.logger.Printf("api: webhook %s to %s: %v", evt.ID, ep.ID, err)
				}
			}
		}
	}
}

// publish queues evt for delivery without ever blocking the caller.
func (s *Server) publish(evt webhook.Event) bool {
	select {
	case s.events <- evt:
		return true
	default:
		s.logger.Printf("api: event queue full, dropping %s", evt.ID)
		return false
	}
}

// notifyAttempt queues an "attempted" event for the merchant's dashboard.
func (s *Server) notifyAttempt(kind, key string) {
	s.events <- webhook.Event{ID: key, Type: kind + ".attempted", CreatedAt: time.Now()}
}

func fingerprint(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%v|", p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: encode response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
