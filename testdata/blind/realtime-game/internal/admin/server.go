// Package admin is the operator HTTP API: room and player management,
// leaderboard snapshots and replay maintenance.
package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/realtimegame/internal/hub"
	"example.com/realtimegame/internal/leaderboard"
	"example.com/realtimegame/internal/match"
	"example.com/realtimegame/internal/replay"
	"example.com/realtimegame/internal/room"
)

// Config configures the admin server.
type Config struct {
	Addr        string
	Token       string
	ReplayDir   string
	SnapshotDir string
	AuditPath   string
}

// Deps are the game subsystems the API operates on.
type Deps struct {
	Rooms *room.Manager
	Board *leaderboard.Board
	Queue *match.Queue
	Hub   *hub.Hub
}

// Server is the admin API.
type Server struct {
	cfg     Config
	deps    Deps
	srv     *http.Server
	auditCh chan string

	mu          sync.Mutex
	bans        map[string]time.Time
	replayIndex []replay.IndexEntry
	reindexing  atomic.Bool
}

// New creates the server; call RunAudit and ListenAndServe to start it.
func New(cfg Config, deps Deps) *Server {
	s := &Server{
		cfg:     cfg,
		deps:    deps,
		auditCh: make(chan string),
		bans:    make(map[string]time.Time),
	}
	s.srv = &http.Server{
		Addr:              cfg.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	return s
}

// ListenAndServe serves until Shutdown.
func (s *Server) ListenAndServe() error { return s.srv.ListenAndServe() }

// Shutdown stops the HTTP server gracefully.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// RunAudit writes audit lines to the audit log until ctx is cancelled.
func (s *Server) RunAudit(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-s.auditCh:
			if err := appendAudit(s.cfg.AuditPath, line); err != nil {
				log.Printf("admin: audit: %v", err)
			}
		}
	}
}

// audit hands a line to the audit writer and waits until it has taken it.
func (s *Server) audit(format string, args ...any) {
	s.auditCh <- time.Now().UTC().Format(time.RFC3339) + " " + fmt.Sprintf(format, args...)
}

// tryAudit is audit for paths that must never wait: it drops the line when the
// writer is busy.
func (s *Server) tryAudit(format string, args ...any) {
	line := time.Now().UTC().Format(time.RFC3339) + " " + fmt.Sprintf(format, args...)
	select {
	case s.auditCh <- line:
	default:
		log.Printf("admin: audit writer busy, dropped: %s", line)
	}
}

// appendAudit appends one line to the audit log.
func appendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(line + "\n")
	return err
}

func (s *Server) ban(playerID string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bans[playerID] = time.Now().Add(d)
}

// IsBanned reports whether a player is currently banned.
func (s *Server) IsBanned(playerID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	until, ok := s.bans[playerID]
	if ok && time.Now().After(until) {
		delete(s.bans, playerID)
		return false
	}
	return ok
}

// recoverHTTP must be deferred directly by a handler: defer s.recoverHTTP(w).
func (s *Server) recoverHTTP(w http.ResponseWriter) {
	if rec := recover(); rec != nil {
		log.Printf("admin: handler panic: %v\n%s", rec, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}
