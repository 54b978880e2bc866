package admin

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/protocol"
	"example.com/chatrelay/internal/room"
)

func (a *API) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok\n")
}

func (a *API) handleMetrics(w http.ResponseWriter, r *http.Request) {
	defer a.metrics.Track("admin.metrics.latency") // HAZ defer-func-result-not-called
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := a.metrics.Snapshot().WriteText(w); err != nil {
		log.Printf("admin: metrics: %v", err)
	}
}

func (a *API) handleRooms(w http.ResponseWriter, r *http.Request) {
	defer a.metrics.Track("admin.rooms.latency")()
	writeJSON(w, http.StatusOK, a.rooms.SnapshotAll())
}

// handleHistory returns the last n lines of a room, giving up after two
// seconds if the disk is slow.
func (a *API) handleHistory(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("room")
	if !protocol.ValidRoom(name) {
		http.Error(w, "bad room name", http.StatusBadRequest)
		return
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if n <= 0 || n > 1000 {
		n = 100
	}
	type result struct {
		lines []string
		err   error
	}
	ch := make(chan result)
	go func() {
		lines, err := a.store.Tail(name, n)
		ch <- result{lines: lines, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, res.lines)
	case <-time.After(2 * time.Second):
		http.Error(w, "history read timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// handleStats returns room and client statistics, bounded by one second.
func (a *API) handleStats(w http.ResponseWriter, r *http.Request) {
	type result struct {
		Rooms   []room.Stats `json:"rooms"`
		Clients int          `json:"clients"`
	}
	ch := make(chan result, 1)
	go func() {
		ch <- result{Rooms: a.rooms.SnapshotAll(), Clients: a.hub.Count()}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	select {
	case res := <-ch:
		writeJSON(w, http.StatusOK, res)
	case <-ctx.Done():
		http.Error(w, "stats timed out", http.StatusGatewayTimeout)
	}
}

// handleKick disconnects a client: POST id=<client id>&reason=...
func (a *API) handleKick(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	id := r.FormValue("id")
	reason := r.FormValue("reason")
	if reason == "" {
		reason = "kicked by operator"
	}
	var err error
	defer a.logAction(r, "kick", id, err) // HAZ defer-eager-evaluation
	if id == "" {
		err = errors.New("missing id")
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err = a.hub.Kick(id, reason); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleBan bans a nick from a room: POST room=#r&nick=n&for=1h
func (a *API) handleBan(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	name, nick := r.FormValue("room"), r.FormValue("nick")
	d, perr := time.ParseDuration(r.FormValue("for"))
	if perr != nil || d <= 0 {
		d = time.Hour
	}
	var err error
	defer func() {
		a.logAction(r, "ban", name+"/"+nick, err)
	}()
	rm, ok := a.rooms.Get(name)
	if !ok {
		err = hub.ErrNoRoom
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	present := rm.Ban(nick, d)
	writeJSON(w, http.StatusOK, map[string]any{
		"room": name, "nick": nick, "until": time.Now().Add(d), "was_present": present,
	})
}

// handleAnnounce sends a notice to every connected client.
func (a *API) handleAnnounce(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	text := strings.TrimSpace(r.FormValue("text"))
	if text == "" {
		http.Error(w, "empty text", http.StatusBadRequest)
		return
	}
	defer a.record(r, "announce", text) // HAZ defer-blocking-call
	n := a.hub.Announce(text, 200*time.Millisecond)
	writeJSON(w, http.StatusOK, map[string]int{"delivered": n})
}

// handlePeerHealth proxies a peer relay's health check.
func (a *API) handlePeerHealth(w http.ResponseWriter, r *http.Request) {
	peer := r.URL.Query().Get("peer")
	if peer == "" {
		http.Error(w, "missing peer", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+peer+"/healthz", nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := a.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"peer": peer, "status": resp.StatusCode, "body": strings.TrimSpace(string(body)),
	})
}

// handleExport writes a room's full log into the export directory, where
// operators fetch it: POST room=#r
func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	name := r.FormValue("room")
	if !protocol.ValidRoom(name) || a.exportDir == "" {
		http.Error(w, "bad room or exports disabled", http.StatusBadRequest)
		return
	}
	dst := filepath.Join(a.exportDir,
		strings.TrimPrefix(name, "#")+"-"+time.Now().UTC().Format("20060102T150405")+".log")
	f, err := os.Create(dst)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := a.store.Export(f, []string{name}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"file": dst})
}
