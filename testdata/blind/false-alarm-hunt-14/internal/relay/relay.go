// Package relay receives webhooks, stores them and forwards them to
// subscribers.
package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"example.com/fah14/internal/clock"
	"example.com/fah14/internal/store"
)

const maxBody = 1 << 20

// Subscriber receives the events of some topics.
type Subscriber struct {
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Topics []string `json:"topics"`
}

// Match reports whether the subscriber wants ev. An empty topic list
// subscribes to everything.
func (s Subscriber) Match(ev store.Event) bool {
	return len(s.Topics) == 0 || slices.Contains(s.Topics, ev.Topic)
}

// Verifier checks the signature of an incoming payload.
type Verifier interface {
	Verify(ctx context.Context, body []byte) error
}

// Option configures a Relay.
type Option func(*Relay)

// WithSubscribers sets the subscribers.
func WithSubscribers(subs ...Subscriber) Option {
	return func(r *Relay) { r.subs = subs }
}

// WithVerifier sets the payload verifier and how long it may take.
func WithVerifier(v Verifier, timeout time.Duration) Option {
	return func(r *Relay) { r.verifier, r.verifyTimeout = v, timeout }
}

// WithAuditURL makes the relay report replays to an audit endpoint.
func WithAuditURL(u string) Option {
	return func(r *Relay) { r.auditURL = u }
}

// WithAuditQueue makes audit records asynchronous, buffered up to n.
func WithAuditQueue(n int) Option {
	return func(r *Relay) { r.auditQueue = n }
}

// WithClock sets the clock used for delivery latencies.
func WithClock(c clock.Clock) Option {
	return func(r *Relay) { r.clk = c }
}

// Relay is the HTTP front end of the webhook relay.
type Relay struct {
	store         *store.Store
	subs          []Subscriber
	client        *http.Client
	verifier      Verifier
	verifyTimeout time.Duration
	auditURL      string
	auditQueue    int
	auditQ        chan auditEntry
	clk           clock.Clock
	stats         *Stats
	inflight      atomic.Int64
}

// New returns a relay that stores events in st.
func New(st *store.Store, opts ...Option) *Relay {
	r := &Relay{
		store:         st,
		client:        &http.Client{},
		verifyTimeout: 2 * time.Second,
		clk:           clock.Real{},
		stats:         newStats(),
	}
	for _, o := range opts {
		o(r)
	}
	if r.auditQueue > 0 {
		r.auditQ = make(chan auditEntry, r.auditQueue)
		go r.pumpAudit(r.auditQ)
	}
	return r
}

// Handler returns the relay's routes.
func (r *Relay) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", r.handleHealth)
	mux.HandleFunc("GET /stats", r.handleStats)
	mux.HandleFunc("POST /hooks/{topic}", r.handleIngest)
	mux.HandleFunc("POST /events/{id}/replay", r.handleReplay)
	mux.HandleFunc("POST /verify", r.handleVerify)
	return mux
}

func (r *Relay) handleHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "ok\n")
}

func (r *Relay) handleStats(w http.ResponseWriter, _ *http.Request) {
	ok, failed := r.stats.Snapshot()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"inflight":  r.inflight.Load(),
		"store":     r.store.Stats(),
		"delivered": ok,
		"failed":    failed,
	})
}

func (r *Relay) handleIngest(w http.ResponseWriter, req *http.Request) {
	defer req.Body.Close()
	body, err := io.ReadAll(io.LimitReader(req.Body, maxBody))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	ev := store.Event{
		ID:       req.Header.Get("X-Event-Id"),
		Topic:    req.PathValue("topic"),
		Payload:  body,
		Received: r.clk.Now(),
	}
	if ev.ID == "" {
		http.Error(w, "missing X-Event-Id", http.StatusBadRequest)
		return
	}
	if err := r.store.Put(ev); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	r.inflight.Add(1)
	defer r.inflight.Add(-1)
	ctx, cancel := context.WithTimeout(req.Context(), 5*time.Second)
	defer cancel()
	if err := r.Broadcast(ctx, ev); err != nil {
		log.Printf("relay: event %s: %v", ev.ID, err)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *Relay) handleReplay(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	ev, ok := r.store.Get(id)
	if !ok {
		http.NotFound(w, req)
		return
	}
	defer r.audit(req.Context(), "replay", id) // HAZ defer-blocking-call
	if err := r.Broadcast(req.Context(), ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// audit reports an administrative action to the audit endpoint, if any.
func (r *Relay) audit(ctx context.Context, action, id string) {
	if r.auditURL == "" {
		return
	}
	body, _ := json.Marshal(map[string]string{"action": action, "event": id})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.auditURL, bytes.NewReader(body))
	if err != nil {
		log.Printf("relay: audit: %v", err)
		return
	}
	resp, err := r.client.Do(req)
	if err != nil {
		log.Printf("relay: audit %s %s: %v", action, id, err)
		return
	}
	resp.Body.Close()
}

func (r *Relay) handleVerify(w http.ResponseWriter, req *http.Request) {
	if r.verifier == nil {
		http.Error(w, "no verifier configured", http.StatusNotImplemented)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.verifyTimeout)
	defer cancel()
	body, err := io.ReadAll(io.LimitReader(req.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	verdict := make(chan error)
	go func() { verdict <- r.verifier.Verify(ctx, body) }() // HAZ goroutine-blocked-send
	select {
	case err := <-verdict:
		if err != nil {
			http.Error(w, "bad signature: "+err.Error(), http.StatusUnauthorized)
			return
		}
	case <-ctx.Done():
		http.Error(w, "verification timed out", http.StatusGatewayTimeout)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// VerifyAll checks several payloads concurrently and returns the first
// failure. Every verifier goroutine has a slot in the buffered channel, so
// none of them blocks when VerifyAll returns early.
func (r *Relay) VerifyAll(ctx context.Context, bodies [][]byte) error {
	if r.verifier == nil {
		return errors.New("relay: no verifier configured")
	}
	ctx, cancel := context.WithTimeout(ctx, r.verifyTimeout)
	defer cancel()
	results := make(chan error, len(bodies))
	for i, b := range bodies {
		go func() {
			if err := r.verifier.Verify(ctx, b); err != nil {
				results <- fmt.Errorf("payload %d: %w", i, err)
				return
			}
			results <- nil
		}()
	}
	for range bodies {
		select {
		case err := <-results:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// auditEntry is one queued audit record.
type auditEntry struct {
	action, id string
}

// AuditAsync queues an audit record without blocking; records are dropped
// when the queue is full. It reports whether the record was queued.
func (r *Relay) AuditAsync(action, id string) bool {
	if r.auditQ == nil {
		return false
	}
	select {
	case r.auditQ <- auditEntry{action, id}:
		return true
	default:
		return false
	}
}

// pumpAudit forwards queued audit records, each bounded by a timeout. It
// runs for the life of the relay.
func (r *Relay) pumpAudit(queue <-chan auditEntry) {
	for e := range queue {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel() // HAZ defer-in-infinite-loop
		r.audit(ctx, e.action, e.id)
	}
}
