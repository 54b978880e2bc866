package scraper

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server exposes on-demand scrapes over HTTP.
type Server struct {
	Scraper *Scraper
	Webhook string // notified after every on-demand scrape
	Log     *log.Logger

	mu      sync.RWMutex
	targets map[string]Target
}

func NewServer(s *Scraper, webhook string, l *log.Logger) *Server {
	return &Server{Scraper: s, Webhook: webhook, Log: l, targets: map[string]Target{}}
}

func (srv *Server) SetTargets(ts []Target) {
	m := make(map[string]Target, len(ts))
	for _, t := range ts {
		m[t.Name] = t
	}
	srv.mu.Lock()
	srv.targets = m
	srv.mu.Unlock()
}

func (srv *Server) Targets() []Target {
	srv.mu.RLock()
	defer srv.mu.RUnlock()
	out := make([]Target, 0, len(srv.targets))
	for _, t := range srv.targets {
		out = append(out, t)
	}
	return out
}

func (srv *Server) lookup(name string) (Target, bool) {
	srv.mu.RLock()
	defer srv.mu.RUnlock()
	t, ok := srv.targets[name]
	return t, ok
}

func (srv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/scrape", srv.handleScrape)
	mux.HandleFunc("/targets", srv.handleTargets)
	mux.HandleFunc("/readyz", srv.handleReady)
	return mux
}

// notify tells the audit webhook that an on-demand scrape happened.
func (srv *Server) notify(target string) {
	body := fmt.Sprintf(`{"event":"scrape","target":%q}`, target)
	resp, err := http.Post(srv.Webhook, "application/json", strings.NewReader(body))
	if err != nil {
		srv.Log.Printf("webhook: %v", err)
		return
	}
	resp.Body.Close()
}

// notifyBounded is notify with a deadline, for use on request paths.
func (srv *Server) notifyBounded(ctx context.Context, target string) {
	body := fmt.Sprintf(`{"event":"scrape","target":%q}`, target)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.Webhook, strings.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Scraper.Client.Do(req)
	if err != nil {
		srv.Log.Printf("webhook: %v", err)
		return
	}
	resp.Body.Close()
}

func (srv *Server) handleScrape(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("target")
	t, ok := srv.lookup(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	defer srv.notify(t.Name) // HAZ defer-blocking-call
	samples, err := srv.Scraper.ScrapeOne(r.Context(), t)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := writeText(w, samples); err != nil {
		srv.Log.Printf("write response: %v", err)
	}
}

func (srv *Server) handleTargets(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		defer r.Body.Close() // ok: plain Close
		var ts []Target
		if err := json.NewDecoder(r.Body).Decode(&ts); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		srv.SetTargets(ts)
		defer func() {
			// ok: the notification is bounded by its own timeout
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.notifyBounded(ctx, "*")
		}()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(srv.Targets())
}

func (srv *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	for _, t := range srv.Targets() {
		if err := srv.Scraper.Probe(ctx, t); err == nil {
			fmt.Fprintln(w, "ok")
			return
		}
	}
	http.Error(w, "no target reachable", http.StatusServiceUnavailable)
}
