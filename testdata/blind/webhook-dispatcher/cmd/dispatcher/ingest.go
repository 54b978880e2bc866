package main

import (
	"encoding/json"
	"log"
	"net/http"
	"time"

	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/queue"
	"example.com/webhooks/internal/subscription"
)

// ingestHandler accepts POST /v1/events and queues one delivery per
// matching subscription.
type ingestHandler struct {
	store *subscription.Store
	q     *queue.Queue
	log   *log.Logger
}

type event struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

func (h *ingestHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	tenant := r.Header.Get("X-Tenant-ID")
	if tenant == "" {
		http.Error(w, "missing X-Tenant-ID", http.StatusBadRequest)
		return
	}
	var ev event
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil || ev.Type == "" {
		http.Error(w, "invalid event", http.StatusBadRequest)
		return
	}

	now := time.Now().UTC()
	ids := make([]string, 0, 4)
	for _, sub := range h.store.Matching(tenant, ev.Type) {
		d := delivery.Delivery{
			ID:             subscription.NewID(),
			SubscriptionID: sub.ID,
			TenantID:       tenant,
			Event:          ev.Type,
			URL:            sub.URL,
			Secret:         sub.Secret,
			Payload:        envelope(ev, now),
			CreatedAt:      now,
		}
		if _, err := h.q.Enqueue(d); err != nil {
			h.log.Printf("enqueue for %s: %v", sub.ID, err)
			http.Error(w, "queue unavailable", http.StatusServiceUnavailable)
			return
		}
		ids = append(ids, d.ID)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string][]string{"deliveries": ids})
}

// envelope wraps the event data with its type and timestamp, the body every
// receiver gets.
func envelope(ev event, at time.Time) json.RawMessage {
	b, err := json.Marshal(struct {
		Type string          `json:"type"`
		At   time.Time       `json:"created_at"`
		Data json.RawMessage `json:"data"`
	}{ev.Type, at, ev.Data})
	if err != nil {
		// Data is already valid JSON, so this cannot happen.
		panic(err)
	}
	return b
}
