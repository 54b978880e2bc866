// Package web serves the public unsubscribe endpoints (the link in every
// email footer and RFC 8058 one-click POSTs) and a few admin views.
package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
)

// Server holds the handlers' dependencies.
type Server struct {
	store      *subscribers.Store
	renderer   *templates.Renderer
	logger     *log.Logger
	client     *http.Client
	webhookURL string
	auditPath  string
	events     chan auditEvent
}

// Options configures NewServer.
type Options struct {
	WebhookURL string
	AuditPath  string
}

var confirmPage = template.Must(template.New("confirm").Parse(`<!doctype html>
<title>Unsubscribed</title>
<p>{{.Email}} will no longer receive {{.ListID}}.</p>`))

// NewServer wires the handlers.
func NewServer(st *subscribers.Store, r *templates.Renderer, logger *log.Logger, opts Options) *Server {
	s := &Server{
		store:      st,
		renderer:   r,
		logger:     logger,
		client:     &http.Client{Timeout: 5 * time.Second},
		webhookURL: opts.WebhookURL,
		auditPath:  opts.AuditPath,
		events:     make(chan auditEvent),
	}
	go s.auditLoop()
	return s
}

// Routes returns the HTTP handler tree.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /u", s.handleUnsubscribe)
	mux.HandleFunc("POST /u", s.handleOneClick)
	mux.HandleFunc("GET /preview/{name}", s.handlePreview)
	mux.HandleFunc("GET /preview/{name}/text", s.handlePreviewText)
	mux.HandleFunc("GET /preview/{name}/check", s.handleCheck)
	mux.HandleFunc("GET /admin/lists/{id}/export", s.handleExport)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("POST /admin/resubscribe", s.handleResubscribe)
	mux.HandleFunc("POST /admin/tokens/reset", s.handleTokenReset)
	mux.HandleFunc("GET /admin/lists/{id}/stats", s.handleListStats)
	mux.HandleFunc("GET /admin/lists/{id}/count", s.handleListCount)
	return Recover(s.logger, AccessLog(s.logger, mux))
}

// handleUnsubscribe is the footer link: it unsubscribes and shows a page.
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	sub, err := s.store.Unsubscribe(r.URL.Query().Get("t"))
	if errors.Is(err, subscribers.ErrBadToken) {
		http.Error(w, "unknown or expired link", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := s.appendAudit("unsubscribe-link", sub); err != nil {
		s.logger.Printf("audit: %v", err)
	}
	go s.notifyWebhook(sub)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := confirmPage.Execute(w, sub); err != nil {
		s.logger.Printf("confirm page: %v", err)
	}
}

// handleOneClick implements RFC 8058: mail providers POST
// "List-Unsubscribe=One-Click" and expect a quick 200.
func (s *Server) handleOneClick(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("List-Unsubscribe") != "One-Click" {
		http.Error(w, "unsupported", http.StatusBadRequest)
		return
	}
	sub, err := s.store.Unsubscribe(r.URL.Query().Get("t"))
	if err != nil {
		http.Error(w, "unknown token", http.StatusNotFound)
		return
	}
	defer s.notifyWebhook(sub) // HAZ defer-blocking-call
	if err := s.appendAudit("one-click", sub); err != nil {
		s.logger.Printf("audit: %v", err)
	}
	w.WriteHeader(http.StatusOK)
}

// notifyWebhook tells the CRM about an unsubscribe.
func (s *Server) notifyWebhook(sub subscribers.Subscriber) {
	if s.webhookURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"event": "unsubscribe", "email": sub.Email, "list": sub.ListID})
	if err != nil {
		s.logger.Printf("webhook: %v", err)
		return
	}
	resp, err := s.client.Post(s.webhookURL, "application/json", bytes.NewReader(body))
	if err != nil {
		s.logger.Printf("webhook: %v", err)
		return
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		s.logger.Printf("webhook: draining body: %v", err)
	}
	if resp.StatusCode >= 300 {
		s.logger.Printf("webhook: %s answered %s", s.webhookURL, resp.Status)
	}
}

// appendAudit appends one line to the unsubscribe audit log.
func (s *Server) appendAudit(action string, sub subscribers.Subscriber) error {
	if s.auditPath == "" {
		return nil
	}
	f, err := os.OpenFile(s.auditPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\t%s\n", time.Now().UTC().Format(time.RFC3339), action, sub.ListID, sub.Email)
	return err
}

// handleExport streams a list as CSV to an admin.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	subs, err := s.store.ExportList(r.PathValue("id"))
	if errors.Is(err, subscribers.ErrNoList) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", r.PathValue("id")+".csv"))
	for _, sub := range subs {
		if _, err := fmt.Fprintf(w, "%s,%s,%s\n", sub.Email, sub.Name, sub.Status); err != nil {
			s.logger.Printf("export: client went away: %v", err)
			return
		}
	}
}

// handleHealth reports liveness and the number of lists.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	lists := s.store.Lists()
	if err := json.NewEncoder(w).Encode(map[string]any{"ok": true, "lists": len(lists)}); err != nil {
		s.logger.Printf("health: %v", err)
	}
}

// broadcastWebhook posts payload to every endpoint and returns how many
// accepted it.
func (s *Server) broadcastWebhook(urls []string, payload []byte) int {
	accepted := 0
	for _, u := range urls {
		resp, err := s.client.Post(u, "application/json", bytes.NewReader(payload))
		if err != nil {
			s.logger.Printf("webhook %s: %v", u, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode < 300 {
			accepted++
		}
	}
	return accepted
}

// broadcastWebhookEach is broadcastWebhook with each response closed before
// the next request.
func (s *Server) broadcastWebhookEach(urls []string, payload []byte) int {
	accepted := 0
	for _, u := range urls {
		ok := func() bool {
			resp, err := s.client.Post(u, "application/json", bytes.NewReader(payload))
			if err != nil {
				s.logger.Printf("webhook %s: %v", u, err)
				return false
			}
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
			return resp.StatusCode < 300
		}()
		if ok {
			accepted++
		}
	}
	return accepted
}
