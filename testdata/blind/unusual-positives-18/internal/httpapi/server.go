package httpapi

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"

	"example.com/up18/internal/probe"
	"example.com/up18/internal/registry"
)

// Server serves the admin API.
type Server struct {
	reg          *registry.Registry
	audit        Auditor
	events       eventSink
	dialer       *net.Dialer
	probeTimeout time.Duration
}

// NewServer returns a server over reg that audits through audit.
func NewServer(reg *registry.Registry, audit Auditor) *Server {
	return &Server{
		reg:          reg,
		audit:        audit,
		events:       newChanSink(64),
		dialer:       &net.Dialer{Timeout: 30 * time.Second},
		probeTimeout: 2 * time.Second,
	}
}

// Routes returns the API's handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/register", s.handleRegister)
	mux.HandleFunc("/remove", s.handleRemove)
	mux.HandleFunc("/probe", s.handleProbe)
	mux.HandleFunc("/status", s.handleStatus)
	return mux
}

type probeReply struct {
	Target    string `json:"target"`
	LatencyMS int64  `json:"latency_ms"`
	Error     string `json:"error,omitempty"`
}

func writeJSON(w http.ResponseWriter, r probe.Result) {
	reply := probeReply{Target: r.Target, LatencyMS: r.Latency.Milliseconds()}
	if r.Err != nil {
		reply.Error = r.Err.Error()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(reply)
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() { // HAZ defer-blocking-call
		s.audit.Record(AuditEvent{Path: r.URL.Path, User: r.Header.Get("X-User"), Status: sw.status, At: time.Now()})
	}()
	if r.Method != http.MethodPost {
		http.Error(sw, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var e registry.Entry
	if err := json.NewDecoder(r.Body).Decode(&e); err != nil || e.Name == "" {
		http.Error(sw, "bad entry", http.StatusBadRequest)
		return
	}
	e.Seen = time.Now()
	if s.reg.Upsert(&e) {
		sw.WriteHeader(http.StatusCreated)
	}
}

func (s *Server) handleRemove(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	if name == "" {
		http.Error(w, "name required", http.StatusBadRequest)
		return
	}
	defer s.events.Publish("remove", name)
	if !s.reg.Remove(name) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("target")
	if target == "" {
		http.Error(w, "target required", http.StatusBadRequest)
		return
	}
	res := make(chan probe.Result)
	go probe.Check(r.Context(), s.dialer, target, res) // HAZ goroutine-blocked-send
	select {
	case pr := <-res:
		writeJSON(w, pr)
	case <-time.After(s.probeTimeout):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("target")
	if target == "" {
		http.Error(w, "target required", http.StatusBadRequest)
		return
	}
	res := make(chan probe.Result, 1)
	go probe.Check(r.Context(), s.dialer, target, res)
	select {
	case pr := <-res:
		writeJSON(w, pr)
	case <-time.After(s.probeTimeout):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}
