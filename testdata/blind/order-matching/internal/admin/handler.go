// Package admin serves the operator HTTP API: halts, freezes, depth,
// snapshots, session kicks and journal export.
package admin

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/matching/internal/book"
	"example.com/matching/internal/engine"
	"example.com/matching/internal/gateway"
	"example.com/matching/internal/marketdata"
	"example.com/matching/internal/obs"
	"example.com/matching/internal/risk"
	"example.com/matching/internal/snapshot"
)

// Deps are the components the admin API operates on.
type Deps struct {
	Engine     *engine.Engine
	Risk       *risk.Checker
	Hub        *marketdata.Hub
	Snapshots  *snapshot.Manager
	Gateway    *gateway.Server
	Audit      *Auditor
	JournalDir string
	Logger     *log.Logger
}

// Handler is the admin http.Handler.
type Handler struct {
	Deps
	mux *http.ServeMux
}

// NewHandler wires the routes.
func NewHandler(d Deps) *Handler {
	if d.Logger == nil {
		d.Logger = log.Default()
	}
	h := &Handler{Deps: d, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /depth", h.handleDepth)
	h.mux.HandleFunc("GET /quote", h.handleQuote)
	h.mux.HandleFunc("GET /stats", h.handleStats)
	h.mux.HandleFunc("GET /sessions", h.handleSessions)
	h.mux.HandleFunc("GET /export", h.handleExport)
	h.mux.HandleFunc("POST /halt", h.handleHalt)
	h.mux.HandleFunc("POST /resume", h.handleResume)
	h.mux.HandleFunc("POST /freeze", h.handleFreeze)
	h.mux.HandleFunc("POST /snapshot", h.handleSnapshot)
	h.mux.HandleFunc("POST /kick", h.handleKick)
	h.mux.HandleFunc("POST /unfreeze", h.handleUnfreeze)
	h.mux.HandleFunc("POST /verify-snapshot", h.handleVerifySnapshot)
	return h
}

// ServeHTTP dispatches to the routes, turning a handler panic into a 500.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.recoverRequest(w, r)
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) recoverRequest(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		h.Logger.Printf("admin: panic serving %s %s: %v", r.Method, r.URL.Path, rec)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// logPanic logs a panic that reached an admin operation.
func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("admin: panic in %s: %v", where, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func operator(r *http.Request) string {
	if op := r.Header.Get("X-Operator"); op != "" {
		return op
	}
	return "unknown"
}

func levelsParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("levels"))
	if err != nil || n <= 0 || n > 50 {
		return 10
	}
	return n
}

// handleDepth returns the aggregated depth of one symbol.
func (h *Handler) handleDepth(w http.ResponseWriter, r *http.Request) {
	sym := r.URL.Query().Get("symbol")
	if sym == "" {
		http.Error(w, "symbol is required", http.StatusBadRequest)
		return
	}
	type result struct {
		d   book.Depth
		err error
	}
	ch := make(chan result)
	go func() {
		d, err := h.Engine.Depth(context.Background(), sym, levelsParam(r))
		ch <- result{d: d, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, res.d)
	case <-time.After(2 * time.Second):
		http.Error(w, "book did not answer", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// handleQuote is handleDepth for the top of book; the result channel is
// buffered so the worker can always deliver and exit.
func (h *Handler) handleQuote(w http.ResponseWriter, r *http.Request) {
	sym := r.URL.Query().Get("symbol")
	type result struct {
		d   book.Depth
		err error
	}
	ch := make(chan result, 1)
	go func() {
		d, err := h.Engine.Depth(r.Context(), sym, 1)
		ch <- result{d: d, err: err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, res.d)
	case <-time.After(time.Second):
		http.Error(w, "book did not answer", http.StatusGatewayTimeout)
	}
}

// handleHalt stops trading and disconnects every session.
func (h *Handler) handleHalt(w http.ResponseWriter, r *http.Request) {
	entry := Entry{At: time.Now().UTC(), Op: "halt", Actor: operator(r)}
	defer h.Audit.Record(entry) // HAZ defer-blocking-call
	h.Engine.Halt()
	kicked := h.Gateway.KickAll("trading halted")
	writeJSON(w, http.StatusOK, map[string]any{"halted": true, "sessions_closed": kicked})
}

// handleResume lets trading continue; the audit call is bounded.
func (h *Handler) handleResume(w http.ResponseWriter, r *http.Request) {
	entry := Entry{At: time.Now().UTC(), Op: "resume", Actor: operator(r)}
	if err := h.Audit.RecordWithin(entry, 2*time.Second); err != nil {
		h.Logger.Printf("admin: audit resume: %v", err)
	}
	h.Engine.Resume()
	writeJSON(w, http.StatusOK, map[string]any{"halted": false})
}

// handleFreeze freezes an account. The audit entry is kept first; the
// deferred forward to the audit service carries its own timeout.
func (h *Handler) handleFreeze(w http.ResponseWriter, r *http.Request) {
	acct := r.URL.Query().Get("account")
	if acct == "" {
		http.Error(w, "account is required", http.StatusBadRequest)
		return
	}
	reason := r.URL.Query().Get("reason")
	entry := Entry{At: time.Now().UTC(), Op: "freeze", Actor: operator(r), Detail: acct + ": " + reason}
	h.Audit.keep(entry)
	defer h.Audit.ForwardWithin(entry, 500*time.Millisecond)
	h.Risk.Freeze(acct, reason)
	writeJSON(w, http.StatusOK, map[string]any{"account": acct, "frozen": true})
}

// handleSnapshot takes a snapshot, synchronously or in the background.
func (h *Handler) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			h.Logger.Printf("admin: snapshot request panicked: %v", rec)
			http.Error(w, "snapshot failed", http.StatusInternalServerError)
		}
	}()
	if r.URL.Query().Get("async") == "1" {
		go h.takeSnapshot(operator(r)) // HAZ goroutine-outside-recover
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "started"})
		return
	}
	path, err := h.Snapshots.Take(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": path})
}

func (h *Handler) takeSnapshot(actor string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	path, err := h.Snapshots.Take(ctx)
	if err != nil {
		h.Logger.Printf("admin: snapshot for %s: %v", actor, err)
		return
	}
	h.Logger.Printf("admin: snapshot for %s written to %s", actor, path)
}

// handleKick disconnects the sessions of one account.
func (h *Handler) handleKick(w http.ResponseWriter, r *http.Request) {
	defer func() { logPanic(h.Logger, "kick") }()
	acct := r.URL.Query().Get("account")
	if acct == "" {
		http.Error(w, "account is required", http.StatusBadRequest)
		return
	}
	n := h.Gateway.Kick(acct, "disconnected by operator "+operator(r))
	writeJSON(w, http.StatusOK, map[string]int{"sessions_closed": n})
}

// handleStats reports engine, market-data and latency figures.
func (h *Handler) handleStats(w http.ResponseWriter, r *http.Request) {
	last, taken := h.Snapshots.LastTaken()
	writeJSON(w, http.StatusOK, map[string]any{
		"engine":          h.Engine.Stats(),
		"subscribers":     h.Hub.Subscribers(),
		"latency":         obs.Default.Views(),
		"snapshots":       taken,
		"last_snapshot":   last,
		"engine_inflight": h.Engine.InFlight(),
	})
}

// handleSessions lists the live gateway sessions.
func (h *Handler) handleSessions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, h.Gateway.Sessions())
}

// logResult logs the outcome of an operator action.
func (h *Handler) logResult(r *http.Request, op string, err error) {
	if err != nil {
		h.Logger.Printf("admin: %s by %s failed: %v", op, operator(r), err)
		return
	}
	h.Logger.Printf("admin: %s by %s done", op, operator(r))
}

// handleUnfreeze lets a frozen account trade again.
func (h *Handler) handleUnfreeze(w http.ResponseWriter, r *http.Request) {
	var err error
	defer h.logResult(r, "unfreeze", err) // HAZ defer-eager-evaluation
	acct := r.URL.Query().Get("account")
	if acct == "" {
		http.Error(w, "account is required", http.StatusBadRequest)
		return
	}
	if err = h.Risk.Unfreeze(acct); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"account": acct, "frozen": false})
}

// handleVerifySnapshot copies the newest snapshot to a scratch directory,
// decodes it there and reports per-symbol order counts.
func (h *Handler) handleVerifySnapshot(w http.ResponseWriter, r *http.Request) {
	dir, err := os.MkdirTemp("", "verify-snapshot-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	src, err := snapshot.Latest(r.URL.Query().Get("dir"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	data, err := os.ReadFile(src)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	copyPath := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	st, err := snapshot.Load(copyPath)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	counts := make(map[string]int, len(st.Books))
	for sym, orders := range st.Books {
		counts[sym] = len(orders)
	}
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": src, "journal_seq": st.JournalSeq, "orders": counts})
}
