// Package admin is the SFU's operator HTTP API: list rooms, kick
// participants, close rooms, read statistics and trigger maintenance.
package admin

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"example.com/confsfu/internal/recording"
	"example.com/confsfu/internal/sfu"
	"example.com/confsfu/internal/stats"
)

// ModEvent records a moderation action for the audit trail.
type ModEvent struct {
	Room   string    `json:"room"`
	Action string    `json:"action"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Handler serves the admin API.
type Handler struct {
	reg        *sfu.Registry
	agg        *stats.Aggregator
	exportDir  string
	modEvents  chan ModEvent
	reindexing atomic.Bool
	log        *log.Logger
	mux        *http.ServeMux
}

// New wires the admin routes.
func New(reg *sfu.Registry, agg *stats.Aggregator, exportDir string, lg *log.Logger) *Handler {
	h := &Handler{
		reg:       reg,
		agg:       agg,
		exportDir: exportDir,
		modEvents: make(chan ModEvent),
		log:       lg,
		mux:       http.NewServeMux(),
	}
	h.mux.HandleFunc("/rooms", h.handleRooms)
	h.mux.HandleFunc("/rooms/kick", h.handleKick)
	h.mux.HandleFunc("/rooms/close", h.handleCloseRoom)
	h.mux.HandleFunc("/stats", h.handleStats)
	h.mux.HandleFunc("/stats/export", h.handleExport)
	h.mux.HandleFunc("/admin/reindex", h.handleReindex)
	h.mux.HandleFunc("/recordings/archive", h.handleArchive)
	h.mux.HandleFunc("/healthz", h.handleHealth)
	return h
}

// ServeHTTP makes Handler an http.Handler with panic protection.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.withRecover(h.mux).ServeHTTP(w, r)
}

// ModEvents is consumed by the audit writer.
func (h *Handler) ModEvents() <-chan ModEvent { return h.modEvents }

func (h *Handler) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer h.recoverHTTP(w, r)
		next.ServeHTTP(w, r)
	})
}

func (h *Handler) recoverHTTP(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		h.log.Printf("admin: panic serving %s: %v\n%s", r.URL.Path, rec, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

type roomView struct {
	ID           string                `json:"id"`
	Participants []sfu.ParticipantInfo `json:"participants"`
}

func (h *Handler) handleRooms(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rooms := h.reg.Rooms()
	out := make([]roomView, 0, len(rooms))
	for _, room := range rooms {
		out = append(out, roomView{ID: room.ID(), Participants: room.Roster()})
	}
	writeJSON(w, http.StatusOK, out)
}

// notifyModerators hands ev to the audit consumer.
func (h *Handler) notifyModerators(ev ModEvent) {
	ev.At = time.Now()
	h.modEvents <- ev
}

func (h *Handler) handleKick(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	roomID, who := r.FormValue("room"), r.FormValue("participant")
	room, ok := h.reg.Lookup(roomID)
	if !ok {
		http.NotFound(w, r)
		return
	}
	ev := ModEvent{Room: roomID, Action: "kick " + who, By: r.Header.Get("X-Admin-User")}
	defer h.notifyModerators(ev) // HAZ defer-blocking-call
	n := room.Kick([]string{who}, "removed by a moderator")
	writeJSON(w, http.StatusOK, map[string]int{"kicked": n})
}

func (h *Handler) handleCloseRoom(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	roomID := r.FormValue("room")
	room, ok := h.reg.Lookup(roomID)
	if !ok {
		http.NotFound(w, r)
		return
	}
	done := make(chan int)
	go func() { // HAZ goroutine-blocked-send
		done <- room.Teardown("closed by a moderator", 5*time.Second)
	}()
	select {
	case n := <-done:
		h.reg.Remove(roomID, sfu.ReasonAdmin)
		writeJSON(w, http.StatusOK, map[string]int{"notified": n})
	case <-r.Context().Done():
		http.Error(w, "request cancelled", http.StatusServiceUnavailable)
	}
}

func (h *Handler) handleStats(w http.ResponseWriter, r *http.Request) {
	if room := r.URL.Query().Get("room"); room != "" {
		t, ok := h.agg.Room(room)
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, http.StatusOK, t)
		return
	}
	writeJSON(w, http.StatusOK, h.agg.Snapshot())
}

// handleExport writes a compressed snapshot to the export directory in the
// background. The goroutine carries its own recover.
func (h *Handler) handleExport(w http.ResponseWriter, r *http.Request) {
	defer h.recoverHTTP(w, r)
	name := filepath.Base(r.FormValue("name"))
	if name == "." || name == string(filepath.Separator) || !strings.HasSuffix(name, ".json.gz") {
		http.Error(w, "name must end in .json.gz", http.StatusBadRequest)
		return
	}
	path := filepath.Join(h.exportDir, name)
	go func(totals []stats.Totals) {
		defer func() {
			if rec := recover(); rec != nil {
				h.log.Printf("admin: export %s panicked: %v", path, rec)
			}
		}()
		if err := stats.ExportSnapshotGz(path, totals); err != nil {
			h.log.Printf("admin: export %s: %v", path, err)
		}
	}(h.agg.Snapshot())
	w.WriteHeader(http.StatusAccepted)
}

// handleReindex rebuilds the recording index of a directory in the
// background.
func (h *Handler) handleReindex(w http.ResponseWriter, r *http.Request) {
	defer h.recoverHTTP(w, r)
	if !h.reindexing.CompareAndSwap(false, true) {
		http.Error(w, "reindex already running", http.StatusConflict)
		return
	}
	dir := filepath.Join(h.exportDir, filepath.Base(r.FormValue("dir")))
	go h.rebuildIndex(dir) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// rebuildIndex probes every segment of dir and writes a fresh manifest.
func (h *Handler) rebuildIndex(dir string) {
	defer h.reindexing.Store(false)
	segs, err := recording.ListSegments(dir)
	if err != nil {
		h.log.Printf("admin: reindex %s: %v", dir, err)
		return
	}
	m := recording.Manifest{Room: filepath.Base(dir), Finished: time.Now()}
	for _, seg := range segs {
		info, err := recording.Probe(seg)
		if err != nil {
			h.log.Printf("admin: reindex: skipping %s: %v", seg, err)
			continue
		}
		m.Tracks = append(m.Tracks, recording.TrackEntry{Path: info.Path, Packets: info.Packets})
	}
	if err := recording.WriteManifestAtomic(filepath.Join(dir, "manifest.json"), m); err != nil {
		h.log.Printf("admin: reindex %s: %v", dir, err)
	}
}

// copyFile copies src to dst, reporting a failed close of dst.
func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

// handleArchive streams a recording directory as a tar archive. Segments
// are first copied to a scratch directory so that rotation or cleanup of
// the live directory cannot change the archive mid-stream.
func (h *Handler) handleArchive(w http.ResponseWriter, r *http.Request) {
	src := filepath.Join(h.exportDir, filepath.Base(r.FormValue("dir")))
	segs, err := recording.ListSegments(src)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	scratch, err := os.MkdirTemp("", "sfu-archive-*")
	if err != nil {
		http.Error(w, "no scratch space", http.StatusInsufficientStorage)
		return
	}
	defer os.RemoveAll(scratch) // HAZ defer-blocking-call
	staged := make([]string, 0, len(segs))
	for _, s := range segs {
		dst := filepath.Join(scratch, filepath.Base(s))
		if err := copyFile(dst, s); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		staged = append(staged, dst)
	}
	w.Header().Set("Content-Type", "application/x-tar")
	if err := recording.WriteTar(w, staged); err != nil {
		h.log.Printf("admin: archive %s: %v", src, err)
	}
}

func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := os.Stat(h.exportDir); err != nil {
		http.Error(w, "export dir unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok\n"))
}
