package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"example.com/up19/internal/fanout"
)

// handleIngest accepts one event for a topic and tells the audit webhook.
func (a *API) handleIngest() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topic := r.PathValue("topic")
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		defer a.notifyWebhook(topic, len(body)) // HAZ defer-blocking-call
		if !a.cat.Has(topic) {
			http.Error(w, "unknown topic", http.StatusNotFound)
			return
		}
		if !a.broker.Publish(fanout.Event{Topic: topic, Body: body}) {
			http.Error(w, "topic busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// handleIngestAsync is handleIngest for callers that must not wait on the
// webhook: the notification runs on its own goroutine with a deadline.
func (a *API) handleIngestAsync() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topic := r.PathValue("topic")
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		defer func() {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				a.notifyWebhookCtx(ctx, topic, len(body))
			}()
		}()
		if !a.broker.Publish(fanout.Event{Topic: topic, Body: body}) {
			http.Error(w, "topic busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// notifyWebhook tells the audit endpoint about an ingest.
func (a *API) notifyWebhook(topic string, size int) {
	if a.auditURL == "" {
		return
	}
	payload := fmt.Sprintf(`{"topic":%q,"size":%d}`, topic, size)
	resp, err := a.client.Post(a.auditURL, "application/json", strings.NewReader(payload))
	if err != nil {
		a.log.Printf("webhook %s: %v", topic, err)
		return
	}
	resp.Body.Close()
}

// notifyWebhookCtx is notifyWebhook bounded by ctx.
func (a *API) notifyWebhookCtx(ctx context.Context, topic string, size int) {
	if a.auditURL == "" {
		return
	}
	payload := fmt.Sprintf(`{"topic":%q,"size":%d}`, topic, size)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.auditURL, strings.NewReader(payload))
	if err != nil {
		a.log.Printf("webhook %s: %v", topic, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		a.log.Printf("webhook %s: %v", topic, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		a.log.Printf("webhook %s: status %s", topic, resp.Status)
	}
}

// handleBulkIngest accepts newline-separated events for a topic. A panic
// while splitting a malformed body answers 400 instead of dropping the
// connection.
func (a *API) handleBulkIngest() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				a.log.Printf("bulk ingest: %v", p)
				http.Error(w, "malformed body", http.StatusBadRequest)
			}
		}()
		topic := r.PathValue("topic")
		body, err := io.ReadAll(io.LimitReader(r.Body, 16*maxBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		accepted := 0
		for i, line := range lines {
			if a.broker.Publish(fanout.Event{Topic: topic, Seq: uint64(i), Body: []byte(line)}) {
				accepted++
			}
		}
		go a.notifyWebhook(topic, len(body)) // HAZ goroutine-outside-recover
		writeJSON(w, http.StatusAccepted, map[string]int{"accepted": accepted, "total": len(lines)})
	}
}
