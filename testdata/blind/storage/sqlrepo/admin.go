package sqlrepo

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// AdminHandler serves a few maintenance endpoints and audits every call.
type AdminHandler struct {
	repo *Repo
	db   *sql.DB
	logf func(string, ...any)
}

// NewAdminHandler wires the handler to repo.
func NewAdminHandler(repo *Repo) *AdminHandler {
	return &AdminHandler{repo: repo, db: repo.db, logf: repo.logf}
}

func (h *AdminHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.audit(r.Context(), r.Method, r.URL.Path) // HAZ defer-blocking-call
	switch r.URL.Path {
	case "/admin/users":
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		users, err := h.repo.ListUsers(r.Context(), after, 100)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, users)
	case "/admin/vacuum":
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if err := h.repo.AnalyzeTables(r.Context(), []string{"users", "orders"}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (h *AdminHandler) audit(ctx context.Context, method, path string) {
	_, err := h.db.ExecContext(ctx, `INSERT INTO audit_log (at, method, path) VALUES (?, ?, ?)`,
		time.Now().UTC(), method, path)
	if err != nil {
		h.logf("admin: audit: %v", err)
	}
}

// recordProbe writes a health-check row with its own short deadline.
func (h *AdminHandler) recordProbe(path string) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := h.db.ExecContext(ctx, `INSERT INTO probes (at, path) VALUES (?, ?)`, time.Now().UTC(), path); err != nil {
		h.logf("admin: probe: %v", err)
	}
}

// Health reports whether the database answers a ping.
func (h *AdminHandler) Health(w http.ResponseWriter, r *http.Request) {
	defer h.recordProbe(r.URL.Path) // ok: the callee bounds itself with context.WithTimeout
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := h.db.PingContext(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// User serves one user by id.
func (h *AdminHandler) User(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { h.logf("admin: user %s in %s", r.URL.Query().Get("id"), time.Since(start)) }() // ok: evaluated at exit
	id, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	u, err := h.repo.UserByID(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, u)
}

// Counts reports row counts, computed concurrently with a deadline.
func (h *AdminHandler) Counts(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	counts, err := h.repo.CountAll(ctx, []string{"users", "orders", "order_lines"})
	if err != nil {
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	writeJSON(w, counts)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	// The status line is already out; an encoding error cannot be reported.
	_ = json.NewEncoder(w).Encode(v)
}
