package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"example.com/newsletter/internal/subscribers"
)

// auditEvent is one admin action, written to the audit log by auditLoop.
type auditEvent struct {
	Action string
	Sub    subscribers.Subscriber
	At     time.Time
}

// auditLoop serialises writes to the audit log.
func (s *Server) auditLoop() {
	for ev := range s.events {
		if err := s.appendAudit(ev.Action, ev.Sub); err != nil {
			s.logger.Printf("audit %s: %v", ev.Action, err)
		}
	}
}

// handleResubscribe lets support re-add an address that unsubscribed by
// mistake.
func (s *Server) handleResubscribe(w http.ResponseWriter, r *http.Request) {
	var req struct {
		List  string `json:"list"`
		Email string `json:"email"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	sub, err := s.store.Add(req.List, req.Email, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	defer func() { s.events <- auditEvent{Action: "resubscribe", Sub: sub, At: time.Now()} }() // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(sub)
}

// handleTokenReset records the action without ever blocking the response:
// when the audit writer is busy the event is counted as dropped.
func (s *Server) handleTokenReset(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	list := r.FormValue("list")
	sub, err := s.store.Get(list, email)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	defer func() {
		select {
		case s.events <- auditEvent{Action: "token-reset", Sub: sub, At: time.Now()}:
		default:
			s.logger.Printf("audit: dropped token-reset event for %s", sub.Email)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// handleListStats reports the number of active subscribers of a list.
// Counting a very large list can be slow, so the handler gives up with the
// request.
func (s *Server) handleListStats(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	counted := make(chan int)
	go func() { counted <- s.store.ActiveCount(id) }() // HAZ goroutine-blocked-send
	select {
	case n := <-counted:
		fmt.Fprintf(w, `{"list":%q,"active":%d}`, id, n)
	case <-r.Context().Done():
		return
	}
}

// handleListCount is handleListStats with a deadline; the goroutine's send
// has a buffer slot, so it finishes even when nobody waits any more.
func (s *Server) handleListCount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	counted := make(chan int, 1)
	go func() { counted <- s.store.Count(id) }()
	select {
	case n := <-counted:
		fmt.Fprintf(w, `{"list":%q,"total":%d}`, id, n)
	case <-ctx.Done():
		http.Error(w, "count timed out", http.StatusGatewayTimeout)
	}
}
