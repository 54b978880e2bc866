// Package admin exposes the operator HTTP API: match inspection, kicks,
// on-demand snapshots and the leaderboard.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/gamesrv/internal/game"
	"example.com/gamesrv/internal/leaderboard"
	"example.com/gamesrv/internal/matchmaking"
	"example.com/gamesrv/internal/metrics"
	"example.com/gamesrv/internal/session"
	"example.com/gamesrv/internal/snapshot"
)

// AuditEntry records one operator action.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}

// Deps are the server components the API operates on.
type Deps struct {
	Registry  *game.Registry
	Board     *leaderboard.Board
	Hub       *session.Hub
	Store     *snapshot.Store
	Queue     *matchmaking.Queue
	Metrics   *metrics.Registry
	ReplayDir string
	Token     string
	Logger    *log.Logger
}

// Server is the admin API.
type Server struct {
	Deps
	started time.Time
	audit   chan AuditEntry
}

// NewServer builds the API.
func NewServer(d Deps) *Server {
	return &Server{Deps: d, started: time.Now(), audit: make(chan AuditEntry, 64)}
}

// Handler returns the routed, authenticated API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/status", s.auth(s.handleStatus))
	mux.HandleFunc("/matches", s.auth(s.handleMatches))
	mux.HandleFunc("/matches/end", s.auth(s.handleEndMatch))
	mux.HandleFunc("/matches/snapshot", s.auth(s.handleSnapshot))
	mux.HandleFunc("/matches/checkpoint", s.auth(s.handleCheckpointAll))
	mux.HandleFunc("/matches/debug", s.auth(s.handleDebugDump))
	mux.HandleFunc("/matches/restore", s.auth(s.handleRestore))
	mux.HandleFunc("/replays/export", s.auth(s.handleReplayExport))
	mux.HandleFunc("/players/kick", s.auth(s.handleKick))
	mux.HandleFunc("/players/kick-many", s.auth(s.handleBulkKick))
	mux.HandleFunc("/leaderboard", s.auth(s.handleLeaderboard))
	mux.HandleFunc("/queue", s.auth(s.handleQueue))
	return mux
}

func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	want := []byte("Bearer " + s.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

// Status is the body of GET /status.
type Status struct {
	Matches int    `json:"matches"`
	Players int    `json:"players"`
	Queued  int    `json:"queued"`
	Uptime  string `json:"uptime"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Status{
		Matches: len(s.Registry.List()),
		Players: s.Hub.Count(),
		Queued:  s.Queue.Len(),
		Uptime:  time.Since(s.started).Round(time.Second).String(),
	})
}

// MatchInfo is one row of GET /matches.
type MatchInfo struct {
	ID      string   `json:"id"`
	Tick    uint64   `json:"tick"`
	Phase   int      `json:"phase"`
	Players []string `json:"players"`
}

func (s *Server) handleMatches(w http.ResponseWriter, r *http.Request) {
	var out []MatchInfo
	for _, m := range s.Registry.List() {
		snap := m.Snapshot()
		info := MatchInfo{ID: snap.MatchID, Tick: snap.Tick, Phase: int(snap.Phase)}
		for _, p := range snap.Players {
			info.Players = append(info.Players, p.ID)
		}
		out = append(out, info)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleKick(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	player, reason := r.FormValue("player"), r.FormValue("reason")
	entry := AuditEntry{At: time.Now(), Actor: r.RemoteAddr, Action: "kick", Target: player, Detail: reason}
	defer func() { s.audit <- entry }() // HAZ defer-blocking-call
	if !s.Hub.Evict(player, reason) {
		entry.Detail = "not connected"
		http.Error(w, "no such player", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleEndMatch(w http.ResponseWriter, r *http.Request) {
	defer metrics.Track(s.Metrics, "admin.end_match")()
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id := r.FormValue("match")
	m, ok := s.Registry.Get(id)
	if !ok {
		http.Error(w, "no such match", http.StatusNotFound)
		return
	}
	entry := AuditEntry{At: time.Now(), Actor: r.RemoteAddr, Action: "end-match", Target: id}
	defer func() {
		select {
		case s.audit <- entry:
		default:
			s.Logger.Printf("admin: audit queue full, dropped %s %s", entry.Action, entry.Target)
		}
	}()
	m.End("ended by operator")
	writeJSON(w, http.StatusOK, m.Snapshot())
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("match")
	m, ok := s.Registry.Get(id)
	if !ok {
		http.Error(w, "no such match", http.StatusNotFound)
		return
	}
	snap := m.Snapshot()
	done := make(chan error)
	go func() { done <- s.Store.Save(snap) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"match": id, "tick": snap.Tick})
	case <-r.Context().Done():
		s.Logger.Printf("admin: snapshot of %s abandoned by client", id)
	}
}

// handleDebugDump returns a frozen view of one match: the simulation is
// paused while the state and metrics are collected.
func (s *Server) handleDebugDump(w http.ResponseWriter, r *http.Request) {
	m, ok := s.Registry.Get(r.URL.Query().Get("match"))
	if !ok {
		http.Error(w, "no such match", http.StatusNotFound)
		return
	}
	defer m.Pause("debug dump") // HAZ defer-func-result-not-called
	writeJSON(w, http.StatusOK, map[string]any{
		"snapshot": m.Snapshot(),
		"metrics":  s.Metrics.Snapshot(),
	})
}

// auditResult records the outcome of an operator action without blocking.
func (s *Server) auditResult(action, target string, err error) {
	e := AuditEntry{At: time.Now(), Action: action, Target: target}
	if err != nil {
		e.Detail = "failed: " + err.Error()
	}
	select {
	case s.audit <- e:
	default:
		s.Logger.Printf("admin: audit queue full, dropped %s %s", action, target)
	}
}

// handleRestore reports the state a crashed match would be restored from.
func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("match")
	var err error
	defer s.auditResult("restore-preview", id, err) // HAZ defer-eager-evaluation
	snap, err := s.Store.Restore(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

// handleCheckpointAll checkpoints every match, giving each a short deadline
// so that one slow disk write does not hold up the others.
func (s *Server) handleCheckpointAll(w http.ResponseWriter, r *http.Request) {
	type result struct {
		Match string `json:"match"`
		Error string `json:"error,omitempty"`
	}
	var out []result
	for _, m := range s.Registry.List() {
		ctx, cancel := context.WithTimeout(r.Context(), 250*time.Millisecond)
		defer cancel() // HAZ defer-in-loop
		res := result{Match: m.ID()}
		if err := s.Store.SaveContext(ctx, m.Snapshot()); err != nil {
			res.Error = err.Error()
		}
		out = append(out, res)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleReplayExport converts a recorded replay to CSV and sends it.
func (s *Server) handleReplayExport(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("match")
	if id == "" || strings.ContainsAny(id, `/\.`) {
		http.Error(w, "bad match id", http.StatusBadRequest)
		return
	}
	frames, err := snapshot.ReadReplay(filepath.Join(s.ReplayDir, id+".replay.gz"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	tmp, err := os.MkdirTemp("", "replay-export-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	path := filepath.Join(tmp, id+".csv")
	if err := snapshot.ExportCSV(path, frames); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.csv"`)
	http.ServeFile(w, r, path)
}

func (s *Server) handleBulkKick(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.Logger.Printf("admin: bulk kick: %v", rec)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	var req struct {
		Players []string `json:"players"`
		Reason  string   `json:"reason"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	for _, p := range req.Players {
		go s.Hub.Evict(p, req.Reason) // HAZ goroutine-outside-recover
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleLeaderboard(w http.ResponseWriter, r *http.Request) {
	defer metrics.Track(s.Metrics, "admin.leaderboard") // HAZ defer-func-result-not-called
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 || n > 1000 {
		n = 100
	}
	writeJSON(w, http.StatusOK, s.Board.Top(n))
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, s.Queue.Tickets())
	case http.MethodPost:
		var t matchmaking.Ticket
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&t); err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := s.Queue.Enqueue(t); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// RunAudit writes audit entries as JSON lines until ctx is cancelled.
func (s *Server) RunAudit(ctx context.Context, w io.Writer) error {
	enc := json.NewEncoder(w)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e := <-s.audit:
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
	}
}

// ListenAndServe serves the API until ctx is cancelled, then shuts down
// gracefully within five seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: write response: %v", err)
	}
}
