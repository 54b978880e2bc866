package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"example.com/saas/internal/webhook"
)

func (s *Server) getCached(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	v, ok := s.cfg.Cache.Get(t.ID, r.PathValue("key"))
	if !ok {
		writeError(w, http.StatusNotFound, "not cached")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(v)
}

func (s *Server) putCached(w http.ResponseWriter, r *http.Request) {
	t := mustTenant(r)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 256<<10))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "value too large")
		return
	}
	s.cfg.Cache.Set(t.ID, r.PathValue("key"), body)
	w.WriteHeader(http.StatusNoContent)
}

type webhookRequest struct {
	URL    string          `json:"url"`
	Secret string          `json:"secret"`
	Type   string          `json:"type"`
	Data   json.RawMessage `json:"data"`
}

func (s *Server) decodeWebhook(w http.ResponseWriter, r *http.Request) (webhook.Endpoint, webhook.Event, bool) {
	t := mustTenant(r)
	var req webhookRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil || req.URL == "" {
		writeError(w, http.StatusBadRequest, "url is required")
		return webhook.Endpoint{}, webhook.Event{}, false
	}
	ev := webhook.Event{ID: "evt_test_" + time.Now().Format("150405.000"), Tenant: string(t.ID), Type: req.Type, At: time.Now(), Data: req.Data}
	return webhook.Endpoint{URL: req.URL, Secret: req.Secret}, ev, true
}

// testWebhook delivers a test event and reports the outcome, giving up when
// the client disconnects.
func (s *Server) testWebhook(w http.ResponseWriter, r *http.Request) {
	ep, ev, ok := s.decodeWebhook(w, r)
	if !ok {
		return
	}
	done := make(chan error)
	go func() {
		done <- s.cfg.Hooks.Deliver(context.WithoutCancel(r.Context()), ep, ev) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			writeError(w, http.StatusBadGateway, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"delivered": ev.ID})
	case <-r.Context().Done():
		s.log.Printf("test webhook %s: client went away", ev.ID)
	}
}

// replayWebhook is the same, with a channel buffered for its one sender
// and a bounded delivery.
func (s *Server) replayWebhook(w http.ResponseWriter, r *http.Request) {
	ep, ev, ok := s.decodeWebhook(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- s.cfg.Hooks.Deliver(ctx, ep, ev)
	}()
	select {
	case err := <-done:
		if err != nil {
			writeError(w, http.StatusBadGateway, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"delivered": ev.ID})
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, "delivery timed out")
	}
}
