package admin

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/tlsconf"
)

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	up := 0
	for _, fe := range s.frontends {
		up += fe.Pool.UpCount()
	}
	if up == 0 {
		http.Error(w, "no healthy backends", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := s.reg.WriteText(w); err != nil {
		s.logf("admin: metrics: %v", err)
	}
}

func (s *Server) handleBackends(w http.ResponseWriter, r *http.Request) {
	out := make(map[string][]backend.Stats, len(s.frontends))
	names := make([]string, 0, len(s.frontends))
	for name := range s.frontends {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out[name] = s.frontends[name].Pool.Stats()
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleWeight(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	weight, err := strconv.Atoi(q.Get("weight"))
	if err != nil {
		http.Error(w, "bad weight", http.StatusBadRequest)
		return
	}
	if err := fe.Pool.SetWeight(q.Get("addr"), weight); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, backend.ErrUnknown) {
			status = http.StatusNotFound
		}
		http.Error(w, err.Error(), status)
		return
	}
	if q.Get("forwarded") == "" {
		go s.notifyPeers(context.Background(), "/weight", q)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDrain(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	b, ok := fe.Pool.Get(q.Get("addr"))
	if !ok {
		http.Error(w, "unknown backend", http.StatusNotFound)
		return
	}
	if q.Get("forwarded") == "" {
		defer s.notifyPeers(r.Context(), "/drain", q) // HAZ defer-blocking-call
	}
	b.Drain()
	if fe.Sticky != nil {
		fe.Sticky.Forget(b.Addr)
	}
	writeJSON(w, http.StatusOK, b.Snapshot())
}

func (s *Server) handleTrip(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	b, ok := fe.Pool.Get(r.URL.Query().Get("addr"))
	if !ok {
		http.Error(w, "unknown backend", http.StatusNotFound)
		return
	}
	reason := r.URL.Query().Get("reason")
	if reason == "" {
		reason = "tripped by operator"
	}
	b.Breaker.Trip(reason)
	writeJSON(w, http.StatusOK, b.Breaker.Counts())
}

// handleProbe probes one address on demand, giving up after two seconds.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	addr := r.URL.Query().Get("addr")
	if addr == "" {
		http.Error(w, "addr required", http.StatusBadRequest)
		return
	}
	result := make(chan error)
	go func() {
		result <- fe.Checker.ProbeAddr(context.Background(), addr) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-result:
		if err != nil {
			writeJSON(w, http.StatusOK, map[string]string{"addr": addr, "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"addr": addr, "status": "up"})
	case <-time.After(2 * time.Second):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

// handleProbeAll probes every backend; the probes share a deadline and all
// of them are collected before responding.
func (s *Server) handleProbeAll(w http.ResponseWriter, r *http.Request) {
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	writeJSON(w, http.StatusOK, fe.Checker.ProbeAll(ctx))
}

// handlePin answers with the first backend that accepts a connection.
func (s *Server) handlePin(w http.ResponseWriter, r *http.Request) {
	fe, _, ok := s.frontend(r)
	if !ok {
		http.Error(w, "unknown frontend", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	b, err := fe.Checker.FirstHealthy(ctx, fe.Pool.All())
	if err != nil {
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"addr": b.Addr})
}

func (s *Server) handleSticky(w http.ResponseWriter, r *http.Request) {
	fe, _, ok := s.frontend(r)
	if !ok || fe.Sticky == nil {
		http.Error(w, "no sticky table for frontend", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, fe.Sticky.Stats())
}

// handleReloadTLS asks the reload loop to re-read the certificate. The reply
// channel is buffered, so the loop never blocks on a client that gave up.
func (s *Server) handleReloadTLS(w http.ResponseWriter, r *http.Request) {
	if s.opts.ReloadReqs == nil || s.opts.TLS == nil {
		http.Error(w, "TLS not configured", http.StatusNotFound)
		return
	}
	reply := make(chan error, 1)
	select {
	case s.opts.ReloadReqs <- tlsconf.ReloadRequest{Reply: reply}:
	case <-time.After(5 * time.Second):
		http.Error(w, "reload loop busy", http.StatusServiceUnavailable)
		return
	}
	select {
	case err := <-reply:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, s.opts.TLS.Status())
	case <-r.Context().Done():
	}
}

func (s *Server) handleResetCounter(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := s.reg.Reset(r.URL.Query().Get("name")); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleSaveState writes every pool's state in the background.
func (s *Server) handleSaveState(w http.ResponseWriter, r *http.Request) {
	if s.opts.StatePath == "" {
		http.Error(w, "state_path not configured", http.StatusNotFound)
		return
	}
	for name, fe := range s.frontends {
		path := s.opts.StatePath + "." + name + ".json"
		pool := fe.Pool
		s.safeGo("save "+name, func() {
			if err := pool.SaveState(path); err != nil {
				s.logf("admin: save %s: %v", path, err)
			}
		})
	}
	w.WriteHeader(http.StatusAccepted)
}
