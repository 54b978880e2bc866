// Package admin serves the operator HTTP endpoint: stats, rooms, kicks and
// history maintenance.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"example.com/chatserver/internal/chat"
)

// Source is the part of the hub the admin endpoint needs.
type Source interface {
	Stats() chat.Stats
	RoomStats() []chat.RoomStats
	Kick(nick string) error
}

// Compactor trims persisted history.
type Compactor interface {
	Compact(room string, keep int) error
}

// Handler is the admin HTTP handler.
type Handler struct {
	src     Source
	comp    Compactor
	mux     *http.ServeMux
	audit   chan string
	slow    time.Duration
	timeout time.Duration
}

// New returns the admin handler. Run AuditLoop to drain the audit log.
func New(src Source, comp Compactor) *Handler {
	h := &Handler{
		src:     src,
		comp:    comp,
		mux:     http.NewServeMux(),
		audit:   make(chan string),
		slow:    250 * time.Millisecond,
		timeout: 2 * time.Second,
	}
	h.mux.HandleFunc("/stats", h.handleStats)
	h.mux.HandleFunc("/rooms", h.handleRooms)
	h.mux.HandleFunc("/healthz", h.handleHealth)
	h.mux.HandleFunc("/kick", h.handleKick)
	h.mux.HandleFunc("/compact", h.handleCompact)
	h.mux.HandleFunc("/debug/rooms", h.handleDump)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.withRecover(h.mux).ServeHTTP(w, r)
}

// withRecover turns handler panics into 500s.
func (h *Handler) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Printf("admin: panic in %s: %v", r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// track returns a func that logs the request if it was slow.
func (h *Handler) track(name string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > h.slow {
			log.Printf("admin: slow %s request: %v", name, d)
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

func (h *Handler) handleStats(w http.ResponseWriter, r *http.Request) {
	defer h.track("stats")()
	writeJSON(w, h.src.Stats())
}

func (h *Handler) handleRooms(w http.ResponseWriter, r *http.Request) {
	res := make(chan []chat.RoomStats)
	go func() { res <- h.src.RoomStats() }() // HAZ goroutine-blocked-send
	select {
	case rooms := <-res:
		writeJSON(w, rooms)
	case <-r.Context().Done():
		return
	case <-time.After(h.timeout):
		http.Error(w, "hub busy", http.StatusServiceUnavailable)
	}
}

func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) {
	res := make(chan chat.Stats, 1)
	go func() { res <- h.src.Stats() }()
	select {
	case st := <-res:
		fmt.Fprintf(w, "ok clients=%d rooms=%d\n", st.Clients, st.Rooms)
	case <-time.After(h.timeout):
		http.Error(w, "hub not responding", http.StatusServiceUnavailable)
	}
}

func (h *Handler) handleKick(w http.ResponseWriter, r *http.Request) {
	nick := r.URL.Query().Get("nick")
	defer func() { h.audit <- fmt.Sprintf("kick %q from %s", nick, r.RemoteAddr) }() // HAZ defer-blocking-call
	if nick == "" {
		http.Error(w, "missing nick", http.StatusBadRequest)
		return
	}
	if err := h.src.Kick(nick); err != nil {
		if errors.Is(err, chat.ErrNoSuchNick) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// logAudit records an admin action without ever blocking the request.
func (h *Handler) logAudit(entry string) {
	select {
	case h.audit <- entry:
	default:
		log.Printf("admin: audit log busy, dropped: %s", entry)
	}
}

// AuditLoop writes audit entries to the log until ctx is done.
func (h *Handler) AuditLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-h.audit:
			log.Printf("admin audit: %s", e)
		}
	}
}

func (h *Handler) handleCompact(w http.ResponseWriter, r *http.Request) {
	room := r.URL.Query().Get("room")
	keep, err := strconv.Atoi(r.URL.Query().Get("keep"))
	if err != nil || keep < 1 || room == "" {
		http.Error(w, "want ?room=#name&keep=N", http.StatusBadRequest)
		return
	}
	defer h.logAudit(fmt.Sprintf("compact %s keep=%d from %s", room, keep, r.RemoteAddr))
	if err := h.runJob("compact", func() error { return h.comp.Compact(room, keep) }); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// runJob runs a maintenance job, converting a panic into an error.
func (h *Handler) runJob(name string, fn func() error) error {
	defer func() error { // HAZ defer-ineffective-return
		if rec := recover(); rec != nil {
			log.Printf("admin: job %s panicked: %v", name, rec)
			return fmt.Errorf("job %s panicked: %v", name, rec)
		}
		return nil
	}()
	return fn()
}

// runJobSafe is runJob done right: the named result carries the panic out.
func (h *Handler) runJobSafe(name string, fn func() error) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			log.Printf("admin: job %s panicked: %v", name, rec)
			err = fmt.Errorf("job %s panicked: %v", name, rec)
		}
	}()
	return fn()
}

func (h *Handler) handleDump(w http.ResponseWriter, r *http.Request) {
	defer h.track("dump") // HAZ defer-func-result-not-called
	rooms := h.src.RoomStats()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, rs := range rooms {
		fmt.Fprintf(w, "%-20s members=%-4d history=%-5d evictions=%d topic=%q\n",
			rs.Name, rs.Members, rs.History, rs.Evictions, rs.Topic)
	}
}

// Serve runs the admin endpoint on addr until ctx is done.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
