package server

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// notifyPeer tells the peer daemon that a service went down.
func (s *Server) notifyPeer(name string) {
	conn, err := net.Dial("tcp", s.upstream)
	if err != nil {
		s.log.Printf("notify peer: %v", err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "DOWN %s\n", name)
}

// notifyPeerAsync does the same from its own goroutine with a deadline.
func (s *Server) notifyPeerAsync(name string) {
	go func() {
		conn, err := net.DialTimeout("tcp", s.upstream, time.Second)
		if err != nil {
			s.log.Printf("notify peer: %v", err)
			return
		}
		defer conn.Close()
		conn.SetWriteDeadline(time.Now().Add(time.Second))
		fmt.Fprintf(conn, "DOWN %s\n", name)
	}()
}

// handleMarkDown marks a service down and tells the peer.
func (s *Server) handleMarkDown(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	defer s.notifyPeer(name) // HAZ defer-blocking-call
	if !s.reg.MarkDown(name) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleMarkDownAsync marks a service down; the peer is told in the
// background.
func (s *Server) handleMarkDownAsync(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if !s.reg.MarkDown(name) {
		http.NotFound(w, r)
		return
	}
	defer s.notifyPeerAsync(name)
	w.WriteHeader(http.StatusNoContent)
}

// peerStatus returns the status line of the peer's health endpoint.
func (s *Server) peerStatus() (string, error) {
	resp, err := s.client.Get("http://" + s.upstream + "/healthz")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return resp.Status, nil
}
