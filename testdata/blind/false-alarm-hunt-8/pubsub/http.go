package pubsub

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// AuditEvent records an administrative action taken over HTTP.
type AuditEvent struct {
	Action string
	Topic  string
	Remote string
	At     time.Time
}

// HTTPServer exposes a hub over HTTP.
type HTTPServer struct {
	hub   *Hub
	audit chan AuditEvent
	logf  func(string, ...any)
}

// NewHTTPServer returns the handler. The caller must consume Audit().
func NewHTTPServer(h *Hub, logf func(string, ...any)) *HTTPServer {
	return &HTTPServer{hub: h, audit: make(chan AuditEvent), logf: logf}
}

// Audit returns the stream of audit events.
func (s *HTTPServer) Audit() <-chan AuditEvent { return s.audit }

// ServeHTTP routes the request.
func (s *HTTPServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/publish":
		s.handlePublish(w, r)
	case "/last":
		s.handleLast(w, r)
	case "/next":
		s.handleNext(w, r)
	case "/stats":
		s.handleStats(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *HTTPServer) handlePublish(w http.ResponseWriter, r *http.Request) {
	topic := r.URL.Query().Get("topic")
	defer func() { // HAZ defer-blocking-call
		s.audit <- AuditEvent{Action: "publish", Topic: topic, Remote: r.RemoteAddr, At: time.Now()}
	}()
	if r.Method != http.MethodPost || topic == "" {
		http.Error(w, "POST /publish?topic=NAME", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := s.hub.Publish(Message{Topic: topic, Payload: body})
	writeJSON(w, map[string]int{"delivered": n})
}

func (s *HTTPServer) handleLast(w http.ResponseWriter, r *http.Request) {
	m, ok := s.hub.Last(r.URL.Query().Get("topic"))
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, m)
}

// handleNext long-polls for the next message on a topic for up to 30s.
func (s *HTTPServer) handleNext(w http.ResponseWriter, r *http.Request) {
	sub, err := s.hub.Subscribe(r.URL.Query().Get("topic"), 1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	var m Message
	var ok bool
	select {
	case m, ok = <-sub.C():
	case <-ctx.Done():
	}
	s.hub.Unsubscribe(sub)
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, m)
}

// handleStats computes the statistics in a goroutine and gives up after one
// second. The goroutine's send selects on the same context, so it never
// blocks once the handler has returned.
func (s *HTTPServer) handleStats(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	type stats struct {
		Topics     []string
		Dropped    int64
		Deliveries map[string]int64
	}
	res := make(chan stats)
	go func() {
		st := stats{Topics: s.hub.Topics(), Dropped: s.hub.Dropped(), Deliveries: s.hub.Deliveries()}
		select {
		case res <- st:
		case <-ctx.Done():
		}
	}()
	select {
	case st := <-res:
		writeJSON(w, st)
	case <-ctx.Done():
		http.Error(w, "stats timed out", http.StatusGatewayTimeout)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
