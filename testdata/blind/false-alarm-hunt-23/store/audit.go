package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

type auditEntry struct {
	method, path string
	status       int
	at           time.Time
	took         time.Duration
}

// AuditHandler records every request in the audit table. Entries are queued
// without blocking the request; Run writes them.
type AuditHandler struct {
	db      *sql.DB
	next    http.Handler
	log     *log.Logger
	queue   chan auditEntry
	dropped atomic.Int64
}

// NewAuditHandler wraps next.
func NewAuditHandler(db *sql.DB, next http.Handler, logger *log.Logger, queueSize int) *AuditHandler {
	return &AuditHandler{db: db, next: next, log: logger, queue: make(chan auditEntry, queueSize)}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// ServeHTTP implements http.Handler. The deferred closure reads the final
// status; enqueue never blocks.
func (h *AuditHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	start := time.Now()
	defer func() {
		h.enqueue(auditEntry{method: r.Method, path: r.URL.Path, status: rec.status, at: start, took: time.Since(start)})
	}()
	h.next.ServeHTTP(rec, r)
}

func (h *AuditHandler) enqueue(e auditEntry) {
	select {
	case h.queue <- e:
	default:
		h.dropped.Add(1)
	}
}

// Run writes queued entries until ctx ends.
func (h *AuditHandler) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-h.queue:
			if err := h.insert(ctx, e); err != nil {
				h.log.Printf("audit: %s %s: %v", e.method, e.path, err)
			}
		}
	}
}

func (h *AuditHandler) insert(ctx context.Context, e auditEntry) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := h.db.ExecContext(ctx, "INSERT INTO http_audit (method, path, status, at, took_ms) VALUES (?, ?, ?, ?, ?)",
		e.method, e.path, e.status, e.at, e.took.Milliseconds())
	return err
}

// AccessLog writes one line per request through a background writer.
type AccessLog struct {
	next  http.Handler
	lines chan string
	out   *log.Logger
}

// NewAccessLog wraps next; Run must be started to drain the lines.
func NewAccessLog(next http.Handler, out *log.Logger) *AccessLog {
	return &AccessLog{next: next, lines: make(chan string, 64), out: out}
}

// ServeHTTP implements http.Handler.
func (a *AccessLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	start := time.Now()
	defer func() { // HAZ defer-blocking-call
		a.lines <- r.Method + " " + r.URL.Path + " " + strconv.Itoa(rec.status) + " " + time.Since(start).String()
	}()
	a.next.ServeHTTP(rec, r)
}

// Run writes access lines until ctx ends.
func (a *AccessLog) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-a.lines:
			a.out.Println(line)
		}
	}
}

// ServeUser returns one user as JSON and counts the view.
func (s *Store) ServeUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad user id", http.StatusBadRequest)
		return
	}
	defer s.db.ExecContext(context.Background(), "UPDATE users SET views = views + 1 WHERE id = ?", id) // HAZ defer-blocking-call
	u, err := s.UserByID(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(u); err != nil {
		s.log.Printf("store: encode user %d: %v", id, err)
	}
}

// ServeDeleteUser deletes a user. The audit insert runs at exit on a
// context detached from the request but bounded by its own short timeout.
func (s *Store) ServeDeleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad user id", http.StatusBadRequest)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 250*time.Millisecond)
		defer cancel()
		if _, err := s.db.ExecContext(ctx, "INSERT INTO audit (user_id, action) VALUES (?, ?)", id, "delete"); err != nil {
			s.log.Printf("store: audit delete %d: %v", id, err)
		}
	}()
	if err := s.PurgeUser(r.Context(), id); err != nil {
		http.Error(w, "delete failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ServeHealth pings the database with a deadline shorter than the probe's.
func (s *Store) ServeHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		http.Error(w, "database unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
