package admin

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/matchmaker/internal/lobby"
	"example.com/matchmaker/internal/player"
	"example.com/matchmaker/internal/replay"
)

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "ok lobbies=%d sessions=%d\n", s.lobbies.Active(), s.sessions.Count())
}

type queueView struct {
	Queue      string  `json:"queue"`
	Waiting    int     `json:"waiting"`
	OldestSecs float64 `json:"oldest_secs"`
}

// handleQueues lists every queue. The request timer uses the
// `defer f()()` idiom.
func (s *Server) handleQueues(w http.ResponseWriter, r *http.Request) {
	defer s.metrics.Time("admin_queues")()
	now := time.Now()
	var out []queueView
	for _, q := range s.queues.Queues() {
		out = append(out, queueView{
			Queue:      q.Key().String(),
			Waiting:    q.Len(),
			OldestSecs: q.OldestWait(now).Seconds(),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// handleEnqueue queues a player posted as JSON (used by load tests).
func (s *Server) handleEnqueue(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer r.Body.Close()
	var p player.Player
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&p); err != nil {
		http.Error(w, "bad player: "+err.Error(), http.StatusBadRequest)
		return
	}
	p.JoinedAt = time.Now()
	key, err := s.queues.Enqueue(&p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"queue": key.String()})
}

type lobbyView struct {
	ID       string   `json:"id"`
	Queue    string   `json:"queue"`
	State    string   `json:"state"`
	Rounds   int      `json:"rounds"`
	Sessions []string `json:"sessions"`
}

// handleLobby shows one lobby. The session lookup is started early so it
// overlaps with the lobby lookup.
func (s *Server) handleLobby(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/admin/lobbies/")
	sessions := make(chan []string)
	go func() {
		sessions <- s.sessions.PlayersInLobby(id) // HAZ goroutine-blocked-send
	}()
	l, ok := s.lobbies.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	played, _ := l.Rounds()
	writeJSON(w, http.StatusOK, lobbyView{
		ID:       l.ID,
		Queue:    l.Queue,
		State:    l.State().String(),
		Rounds:   played,
		Sessions: <-sessions,
	})
}

// handleDrain closes every lobby, e.g. before a deploy, and tells the other
// nodes about it.
func (s *Server) handleDrain(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	reason := r.URL.Query().Get("reason")
	if reason == "" {
		reason = "admin drain"
	}
	defer s.notifyPeers("drain", reason) // HAZ defer-blocking-call
	n := s.lobbies.CloseAll(reason)
	s.metrics.Add("admin_drained_lobbies", int64(n))
	writeJSON(w, http.StatusOK, map[string]int{"closed": n})
}

// notifyPeers posts an event to every peer node, one after the other.
func (s *Server) notifyPeers(event, detail string) {
	body, err := json.Marshal(map[string]string{"event": event, "detail": detail})
	if err != nil {
		log.Printf("admin: marshal peer event: %v", err)
		return
	}
	for _, peer := range s.cfg.Peers {
		resp, err := s.client.Post(peer+"/admin/peer-event", "application/json", strings.NewReader(string(body)))
		if err != nil {
			log.Printf("admin: notify %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			log.Printf("admin: notify %s: %s", peer, resp.Status)
		}
	}
}

// handleKick removes a player from their lobby and queue and ends their
// session.
func (s *Server) handleKick(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("session")
	lease, err := s.sessions.Lease(token)
	defer lease.Release() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if l, ok := s.lobbies.Get(lease.Session.LobbyID); ok {
		if err := l.Submit(lobby.Event{PlayerID: lease.Session.PlayerID, Kind: "leave"}); err != nil {
			log.Printf("admin: kick %s from %s: %v", lease.Session.PlayerID, l.ID, err)
		}
	}
	s.queues.Remove(lease.Session.PlayerID)
	if _, err := s.sessions.Revoke(token); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleTouch extends a session; the lease is released only after the
// error check.
func (s *Server) handleTouch(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("session")
	lease, err := s.sessions.Lease(token)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	defer lease.Release()
	if err := s.sessions.Touch(token); err != nil {
		http.Error(w, err.Error(), http.StatusGone)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"player": lease.Session.PlayerID})
}

// handleReplay downloads one replay file.
func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("file"))
	if !strings.HasSuffix(name, ".replay.gz") {
		http.Error(w, "not a replay file", http.StatusBadRequest)
		return
	}
	var release func()
	if s.limiter != nil {
		if !s.limiter.tryAcquire() {
			http.Error(w, "too many downloads", http.StatusTooManyRequests)
			return
		}
		release = s.limiter.release
	}
	defer release() // HAZ defer-nil-func
	f, err := os.Open(filepath.Join(s.cfg.ReplayDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	http.ServeContent(w, r, name, st.ModTime(), f)
}

type replayView struct {
	File    string    `json:"file"`
	LobbyID string    `json:"lobby"`
	Players []string  `json:"players"`
	Started time.Time `json:"started"`
}

// handleReplays lists the stored replays. The request log line uses values
// that do not change after the defer.
func (s *Server) handleReplays(w http.ResponseWriter, r *http.Request) {
	dir := s.cfg.ReplayDir
	defer log.Printf("admin: listed replays in %s for %s", dir, r.RemoteAddr)
	paths, err := replay.List(dir)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out := make([]replayView, 0, len(paths))
	for _, p := range paths {
		h, err := replay.LoadHeader(p)
		if err != nil {
			log.Printf("admin: skip %s: %v", p, err)
			continue
		}
		out = append(out, replayView{File: filepath.Base(p), LobbyID: h.LobbyID, Players: h.Players, Started: h.Started})
	}
	writeJSON(w, http.StatusOK, out)
}

// handleWhoAmI resolves a session token. Failed lookups are slowed down to
// make token guessing expensive.
func (s *Server) handleWhoAmI(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get("X-Session")
	sess, ok := s.sessions.Get(token)
	if !ok {
		defer time.Sleep(500 * time.Millisecond) // HAZ defer-blocking-call
		http.Error(w, "unknown session", http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"player": sess.PlayerID, "region": string(sess.Region), "lobby": sess.LobbyID})
}

// waitForLobby polls until the session is attached to a lobby; it returns
// "" when the session disappears. The ticker is stopped by a defer outside
// the loop, and the loop returns.
func (s *Server) waitForLobby(token string) string {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		sess, ok := s.sessions.Get(token)
		if !ok {
			return ""
		}
		if sess.LobbyID != "" {
			return sess.LobbyID
		}
	}
	return ""
}

// handleWaitMatch long-polls until the player is placed in a lobby.
func (s *Server) handleWaitMatch(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("session")
	found := make(chan string)
	go func() {
		found <- s.waitForLobby(token) // HAZ goroutine-blocked-send
	}()
	select {
	case id := <-found:
		if id == "" {
			http.Error(w, "session gone", http.StatusGone)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"lobby": id})
	case <-r.Context().Done():
		return
	case <-time.After(25 * time.Second):
		w.WriteHeader(http.StatusNoContent)
	}
}

type statsView struct {
	Queues   map[string]int `json:"queues"`
	Lobbies  int            `json:"lobbies"`
	Sessions int            `json:"sessions"`
}

func (s *Server) collectStats() statsView {
	v := statsView{Queues: make(map[string]int), Lobbies: s.lobbies.Active(), Sessions: s.sessions.Count()}
	for _, q := range s.queues.Queues() {
		v.Queues[q.Key().String()] = q.Len()
	}
	return v
}

// handleStats computes stats in a goroutine with a deadline. The result
// channel has room for the one send, so giving up never strands it.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	res := make(chan statsView, 1)
	go func() { res <- s.collectStats() }()
	select {
	case v := <-res:
		writeJSON(w, http.StatusOK, v)
	case <-r.Context().Done():
		return
	case <-time.After(2 * time.Second):
		http.Error(w, "stats timed out", http.StatusServiceUnavailable)
	}
}

func (s *Server) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := s.metrics.WriteText(w); err != nil {
		log.Printf("admin: metrics: %v", err)
	}
}
