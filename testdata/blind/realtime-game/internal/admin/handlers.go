package admin

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/realtimegame/internal/replay"
	"example.com/realtimegame/internal/telemetry"
)

// Handler returns the routed, authenticated API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/rooms", s.handleRooms)
	mux.HandleFunc("/rooms/kick", s.handleKick)
	mux.HandleFunc("/players/ban", s.handleBan)
	mux.HandleFunc("/leaderboard", s.handleLeaderboard)
	mux.HandleFunc("/leaderboard/snapshot", s.handleSnapshot)
	mux.HandleFunc("/leaderboard/export.csv", s.handleExportCSV)
	mux.HandleFunc("/replays", s.handleReplayList)
	mux.HandleFunc("/replays/info", s.handleReplayInfo)
	mux.HandleFunc("/replays/download", s.handleReplayDownload)
	mux.HandleFunc("/replays/compact", s.handleCompact)
	mux.HandleFunc("/replays/reindex", s.handleReindex)
	mux.HandleFunc("/replays/warm", s.handleWarmIndex)
	mux.HandleFunc("/maintenance", s.handleMaintenance)
	mux.HandleFunc("/maintenance/prune", s.handlePrune)
	mux.HandleFunc("/queue", s.handleQueue)
	var h http.Handler = mux
	h = s.withAuth(h)
	h = s.withRecover(h)
	return withLogging(h)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"rooms":   len(s.deps.Rooms.IDs()),
		"players": s.deps.Rooms.TotalPlayers(),
		"queued":  s.deps.Queue.Len(),
	})
}

func (s *Server) handleRooms(w http.ResponseWriter, r *http.Request) {
	type roomInfo struct {
		ID      string `json:"id"`
		Players int    `json:"players"`
	}
	var out []roomInfo
	for _, id := range s.deps.Rooms.IDs() {
		if rm, ok := s.deps.Rooms.Get(id); ok {
			out = append(out, roomInfo{ID: id, Players: rm.PlayerCount()})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleKick(w http.ResponseWriter, r *http.Request) {
	roomID, playerID := r.URL.Query().Get("room"), r.URL.Query().Get("player")
	defer s.audit("kick player=%s room=%s by=%s", playerID, roomID, r.RemoteAddr) // HAZ defer-blocking-call
	rm, ok := s.deps.Rooms.Get(roomID)
	if !ok {
		http.Error(w, "no such room", http.StatusNotFound)
		return
	}
	if !rm.Kick(playerID, "kicked by an operator") {
		http.Error(w, "no such player", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBan(w http.ResponseWriter, r *http.Request) {
	playerID := r.URL.Query().Get("player")
	d, err := time.ParseDuration(r.URL.Query().Get("for"))
	if err != nil || d <= 0 {
		http.Error(w, "bad duration", http.StatusBadRequest)
		return
	}
	defer s.tryAudit("ban player=%s for=%s by=%s", playerID, d, r.RemoteAddr)
	s.ban(playerID, d)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleLeaderboard(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 50
	}
	writeJSON(w, http.StatusOK, s.deps.Board.Top(n))
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(s.cfg.SnapshotDir, fmt.Sprintf("manual-%d.json", time.Now().Unix()))
	done := make(chan error)
	go func() {
		done <- s.deps.Board.SaveSnapshotAtomic(path) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"path": path})
	case <-r.Context().Done():
		return
	case <-time.After(5 * time.Second):
		http.Error(w, "snapshot still running", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	tmpDir, err := os.MkdirTemp("", "lb-export-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(tmpDir) // HAZ defer-blocking-call
	path := filepath.Join(tmpDir, "leaderboard.csv")
	if err := s.deps.Board.ExportCSV(path); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	http.ServeFile(w, r, path)
}

func (s *Server) handleReplayList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	entries := append([]replay.IndexEntry(nil), s.replayIndex...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, entries)
}

func (s *Server) replayPath(name string) string {
	return filepath.Join(s.cfg.ReplayDir, filepath.Base(name))
}

func (s *Server) handleReplayInfo(w http.ResponseWriter, r *http.Request) {
	rd, err := replay.Open(s.replayPath(r.URL.Query().Get("name")))
	defer rd.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "replay not found", http.StatusNotFound)
		return
	}
	frames := 0
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
		frames++
	}
	writeJSON(w, http.StatusOK, map[string]any{"header": rd.Header(), "frames": frames})
}

func (s *Server) handleReplayDownload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	f, err := os.Open(s.replayPath(name))
	if err != nil {
		http.Error(w, "replay not found", http.StatusNotFound)
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

// handleCompact prunes old replays, giving up waiting after ten seconds; the
// worker can always deliver its result because the channel has room for it.
func (s *Server) handleCompact(w http.ResponseWriter, r *http.Request) {
	type result struct {
		removed int
		err     error
	}
	done := make(chan result, 1)
	go func() {
		n, err := replay.Prune(s.cfg.ReplayDir, 500)
		done <- result{removed: n, err: err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"removed": res.removed})
	case <-time.After(10 * time.Second):
		http.Error(w, "compaction continues in the background", http.StatusAccepted)
	}
}

func (s *Server) handleReindex(w http.ResponseWriter, r *http.Request) {
	defer s.recoverHTTP(w)
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	go s.reindexReplays() // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// handleWarmIndex is the startup hook of the replay browser: it rebuilds the
// index in the background, with the background goroutine protected on its own.
func (s *Server) handleWarmIndex(w http.ResponseWriter, r *http.Request) {
	defer s.recoverHTTP(w)
	go func() {
		defer telemetry.RecoverAndLog("admin: warm replay index")
		s.reindexReplays()
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) reindexReplays() {
	if !s.reindexing.CompareAndSwap(false, true) {
		return
	}
	defer s.reindexing.Store(false)
	entries, err := replay.Index(s.cfg.ReplayDir)
	if err != nil {
		log.Printf("admin: reindex: %v", err)
		return
	}
	s.mu.Lock()
	s.replayIndex = entries
	s.mu.Unlock()
	log.Printf("admin: indexed %d replays", len(entries))
}

// handleMaintenance compacts replays, optionally pausing every room while the
// disk is busy.
func (s *Server) handleMaintenance(w http.ResponseWriter, r *http.Request) {
	var resume func()
	if r.URL.Query().Get("pause") == "1" {
		resume = s.deps.Rooms.PauseAll()
	}
	defer resume() // HAZ defer-nil-func
	n, err := replay.Prune(s.cfg.ReplayDir, 200)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"removed": n})
}

// handlePrune drops inactive players, optionally pausing rooms meanwhile.
func (s *Server) handlePrune(w http.ResponseWriter, r *http.Request) {
	days, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || days < 1 {
		http.Error(w, "bad days", http.StatusBadRequest)
		return
	}
	resume := func() {}
	if r.URL.Query().Get("pause") == "1" {
		resume = s.deps.Rooms.PauseAll()
	}
	defer resume()
	n := s.deps.Board.Prune(time.Now().AddDate(0, 0, -days))
	writeJSON(w, http.StatusOK, map[string]int{"pruned": n})
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.deps.Queue.Stats())
}
