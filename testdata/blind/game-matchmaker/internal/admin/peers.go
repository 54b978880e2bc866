package admin

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"
)

// peerHealth is the result of one peer health check.
type peerHealth struct {
	Peer   string `json:"peer"`
	OK     bool   `json:"ok"`
	Status string `json:"status"`
}

// checkPeer asks one peer for /healthz with the given context.
func (s *Server) checkPeer(ctx context.Context, peer string) peerHealth {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, peer+"/healthz", nil)
	if err != nil {
		return peerHealth{Peer: peer, Status: err.Error()}
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return peerHealth{Peer: peer, Status: err.Error()}
	}
	defer resp.Body.Close()
	return peerHealth{Peer: peer, OK: resp.StatusCode == http.StatusOK, Status: resp.Status}
}

// CheckPeers checks every peer in turn, each with its own deadline.
func (s *Server) CheckPeers(perPeer time.Duration) []peerHealth {
	out := make([]peerHealth, 0, len(s.cfg.Peers))
	for _, peer := range s.cfg.Peers {
		ctx, cancel := context.WithTimeout(context.Background(), perPeer)
		defer cancel() // HAZ defer-in-loop
		out = append(out, s.checkPeer(ctx, peer))
	}
	return out
}

// CheckPeersParallel checks every peer concurrently. Each goroutine owns
// its context and cancels it itself; the results slice is only read after
// wg.Wait.
func (s *Server) CheckPeersParallel(perPeer time.Duration) []peerHealth {
	out := make([]peerHealth, len(s.cfg.Peers))
	var wg sync.WaitGroup
	for i, peer := range s.cfg.Peers {
		wg.Add(1)
		go func(i int, peer string) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), perPeer)
			defer cancel()
			out[i] = s.checkPeer(ctx, peer)
		}(i, peer)
	}
	wg.Wait()
	sort.Slice(out, func(a, b int) bool { return out[a].Peer < out[b].Peer })
	return out
}

// handlePeers reports peer health.
func (s *Server) handlePeers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.CheckPeersParallel(2*time.Second))
}

// handleAnnounce sends an operator message to every player in every
// lobby, one goroutine per lobby.
func (s *Server) handleAnnounce(w http.ResponseWriter, r *http.Request) {
	msg := r.URL.Query().Get("msg")
	if msg == "" {
		http.Error(w, "missing msg", http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	ids := s.lobbies.IDs()
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			if err := s.announceTo(id, msg); err != nil {
				log.Printf("admin: announce to %s: %v", id, err)
			}
		}(id)
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"lobbies": len(ids)})
}

// announceTo pushes msg as a chat event into one lobby.
func (s *Server) announceTo(lobbyID, msg string) error {
	l, ok := s.lobbies.Get(lobbyID)
	if !ok {
		return fmt.Errorf("no lobby %s", lobbyID)
	}
	return l.Announce(msg)
}
