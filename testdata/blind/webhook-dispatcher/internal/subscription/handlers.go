package subscription

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"example.com/webhooks/internal/signing"
)

// AuditEvent records one change made through the management API.
type AuditEvent struct {
	At             time.Time `json:"at"`
	Tenant         string    `json:"tenant"`
	Action         string    `json:"action"`
	SubscriptionID string    `json:"subscription_id"`
	Remote         string    `json:"remote"`
}

// API serves /v1/subscriptions.
type API struct {
	store   *Store
	audit   chan<- AuditEvent
	client  *http.Client
	log     *log.Logger
	dropped atomic.Int64
}

// NewAPI returns the management API. Audit events are sent on audit, which
// the caller drains.
func NewAPI(store *Store, audit chan<- AuditEvent, logger *log.Logger) *API {
	return &API{
		store:  store,
		audit:  audit,
		client: &http.Client{Timeout: 10 * time.Second},
		log:    logger,
	}
}

// Routes returns the API's handler.
func (a *API) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/subscriptions", a.handleCollection)
	mux.HandleFunc("/v1/subscriptions/", a.handleItem)
	return mux
}

// DroppedAudit returns how many audit events were dropped because the audit
// writer was behind.
func (a *API) DroppedAudit() int64 {
	return a.dropped.Load()
}

func (a *API) handleCollection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		a.handleList(w, r)
	case http.MethodPost:
		a.handleCreate(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// handleItem routes /v1/subscriptions/{id}[/{action}].
func (a *API) handleItem(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/v1/subscriptions/")
	id, action, _ := strings.Cut(rest, "/")
	if id == "" {
		http.NotFound(w, r)
		return
	}
	switch {
	case action == "" && r.Method == http.MethodGet:
		sub, ok := a.store.Get(id)
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, http.StatusOK, redact(sub))
	case action == "" && r.Method == http.MethodDelete:
		a.handleDelete(w, r, id)
	case action == "rotate" && r.Method == http.MethodPost:
		a.handleRotate(w, r, id)
	case action == "test" && r.Method == http.MethodPost:
		a.handleTest(w, r, id)
	case (action == "pause" || action == "resume") && r.Method == http.MethodPost:
		a.handleSetActive(w, r, id, action == "resume")
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func (a *API) handleList(w http.ResponseWriter, r *http.Request) {
	tenant := r.Header.Get("X-Tenant-ID")
	if tenant == "" {
		http.Error(w, "missing X-Tenant-ID", http.StatusBadRequest)
		return
	}
	subs := a.store.List(tenant)
	out := make([]Subscription, 0, len(subs))
	for _, sub := range subs {
		out = append(out, redact(sub))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) handleCreate(w http.ResponseWriter, r *http.Request) {
	tenant := r.Header.Get("X-Tenant-ID")
	if tenant == "" {
		http.Error(w, "missing X-Tenant-ID", http.StatusBadRequest)
		return
	}
	var sub Subscription
	defer func() { // HAZ defer-blocking-call
		a.audit <- AuditEvent{At: time.Now().UTC(), Tenant: tenant, Action: "create", SubscriptionID: sub.ID, Remote: r.RemoteAddr}
	}()

	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&sub); err != nil {
		http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now().UTC()
	sub.ID = NewID()
	sub.TenantID = tenant
	sub.Active = true
	sub.CreatedAt, sub.UpdatedAt = now, now
	if sub.Secret == "" {
		secret, err := signing.NewSecret()
		if err != nil {
			http.Error(w, "cannot generate secret", http.StatusInternalServerError)
			return
		}
		sub.Secret = secret
	}

	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.checkResolvable(ctx, sub.URL); err != nil {
		http.Error(w, "endpoint does not resolve: "+err.Error(), http.StatusUnprocessableEntity)
		return
	}
	if err := a.store.Put(sub); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, ErrInvalid) {
			status = http.StatusUnprocessableEntity
		}
		http.Error(w, err.Error(), status)
		return
	}
	writeJSON(w, http.StatusCreated, sub)
}

func (a *API) handleDelete(w http.ResponseWriter, r *http.Request, id string) {
	defer a.emit(AuditEvent{Tenant: r.Header.Get("X-Tenant-ID"), Action: "delete", SubscriptionID: id, Remote: r.RemoteAddr})
	if err := a.store.Delete(id); err != nil {
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleRotate(w http.ResponseWriter, r *http.Request, id string) {
	secret, err := a.store.RotateSecret(id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	a.emit(AuditEvent{Tenant: r.Header.Get("X-Tenant-ID"), Action: "rotate", SubscriptionID: id, Remote: r.RemoteAddr})
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret})
}

// handleSetActive pauses or resumes a subscription and tells the endpoint
// about it with a signed webhook.subscription.paused/resumed event.
func (a *API) handleSetActive(w http.ResponseWriter, r *http.Request, id string, active bool) {
	sub, ok := a.store.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	event := "webhook.subscription.paused"
	if active {
		event = "webhook.subscription.resumed"
	}
	defer a.notifyEndpoint(sub, event) // HAZ defer-blocking-call
	if err := a.store.SetActive(id, active); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	a.emit(AuditEvent{Tenant: sub.TenantID, Action: event, SubscriptionID: id, Remote: r.RemoteAddr})
	w.WriteHeader(http.StatusNoContent)
}

// notifyEndpoint sends a lifecycle event to the subscription's endpoint.
func (a *API) notifyEndpoint(sub Subscription, event string) {
	body := []byte(`{"type":"` + event + `","data":{"subscription_id":"` + sub.ID + `"}}`)
	req, err := http.NewRequest(http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Event", event)
	req.Header.Set(signing.Header, signing.Sign([]byte(sub.Secret), time.Now(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.log.Printf("notify %s: %v", sub.ID, err)
		return
	}
	resp.Body.Close()
}

// handleTest sends a signed ping to the endpoint and reports its status,
// answering 504 when the endpoint is slower than the deadline.
func (a *API) handleTest(w http.ResponseWriter, r *http.Request, id string) {
	sub, ok := a.store.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	type outcome struct {
		status int
		err    error
	}
	done := make(chan outcome)
	go func() {
		status, err := a.ping(ctx, sub)
		done <- outcome{status, err} // HAZ goroutine-blocked-send
	}()

	select {
	case o := <-done:
		if o.err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": o.err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"status": o.status})
	case <-ctx.Done():
		http.Error(w, "endpoint did not answer in time", http.StatusGatewayTimeout)
	}
}

// ping posts a signed test event to the subscription's endpoint.
func (a *API) ping(ctx context.Context, sub Subscription) (int, error) {
	body := []byte(`{"type":"webhook.test","data":{}}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Event", "webhook.test")
	req.Header.Set(signing.Header, signing.Sign([]byte(sub.Secret), time.Now(), body))
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, nil
}

// checkResolvable fails fast on endpoints whose host does not resolve. The
// lookup runs in its own goroutine because some resolvers ignore the
// context; the channel has room for its single answer.
func (a *API) checkResolvable(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	res := make(chan error, 1)
	go func() {
		_, err := net.DefaultResolver.LookupHost(ctx, u.Hostname())
		res <- err
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// emit hands an audit event to the writer without ever blocking a request.
func (a *API) emit(ev AuditEvent) {
	if ev.At.IsZero() {
		ev.At = time.Now().UTC()
	}
	select {
	case a.audit <- ev:
	default:
		a.dropped.Add(1)
	}
}

func redact(sub Subscription) Subscription {
	if len(sub.Secret) > 10 {
		sub.Secret = sub.Secret[:10] + "..."
	}
	return sub
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
