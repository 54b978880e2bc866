// Package admin serves the relay's operator HTTP endpoint: room listing,
// history, kicks, bans, announcements and metrics.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"log"
	"net/http"
	"runtime/debug"
	"time"

	"example.com/chatrelay/internal/history"
	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/metrics"
	"example.com/chatrelay/internal/room"
)

// AuditEntry is one operator action.
type AuditEntry struct {
	At     time.Time
	Remote string
	Action string
	Detail string
}

// API is the admin endpoint.
type API struct {
	hub       *hub.Hub
	rooms     *room.Registry
	store     *history.Store
	metrics   *metrics.Registry
	token     string
	exportDir string
	client    *http.Client
	audit     chan AuditEntry // unbuffered: AuditLoop writes entries in order
	auditLog  *log.Logger
}

// New returns the admin API. Operators authenticate with a bearer token.
func New(h *hub.Hub, rooms *room.Registry, store *history.Store, m *metrics.Registry, token, exportDir string, auditLog *log.Logger) *API {
	return &API{
		hub:       h,
		rooms:     rooms,
		store:     store,
		metrics:   m,
		token:     token,
		exportDir: exportDir,
		client:    &http.Client{Timeout: 5 * time.Second},
		audit:     make(chan AuditEntry),
		auditLog:  auditLog,
	}
}

// Handler returns the endpoint's routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/metrics", a.handleMetrics)
	mux.HandleFunc("/rooms", a.withAuth(a.handleRooms))
	mux.HandleFunc("/rooms/history", a.withAuth(a.handleHistory))
	mux.HandleFunc("/stats", a.withAuth(a.handleStats))
	mux.HandleFunc("/kick", a.withAuth(a.handleKick))
	mux.HandleFunc("/ban", a.withAuth(a.handleBan))
	mux.HandleFunc("/announce", a.withAuth(a.handleAnnounce))
	mux.HandleFunc("/peers/health", a.withAuth(a.handlePeerHealth))
	mux.HandleFunc("/export", a.withAuth(a.handleExport))
	return a.withRecover(mux)
}

// withAuth rejects requests without the operator token.
func (a *API) withAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		want := []byte("Bearer " + a.token)
		if a.token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

// withRecover turns a handler panic into a 500 and a log line.
func (a *API) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.recoverHTTP(w, r)
		next.ServeHTTP(w, r)
	})
}

// recoverHTTP is deferred by withRecover.
func (a *API) recoverHTTP(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	a.metrics.Inc("admin.panics")
	log.Printf("admin: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// logAction writes an operator action to the audit log right away.
func (a *API) logAction(r *http.Request, action, target string, err error) {
	if a.auditLog == nil {
		return
	}
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	a.auditLog.Printf("%s %s %s: %s", r.RemoteAddr, action, target, status)
}

// record hands an operator action to AuditLoop.
func (a *API) record(r *http.Request, action, detail string) {
	a.audit <- AuditEntry{At: time.Now(), Remote: r.RemoteAddr, Action: action, Detail: detail}
}

// AuditLoop writes recorded actions until ctx is done.
func (a *API) AuditLoop(ctx context.Context) {
	for {
		select {
		case e := <-a.audit:
			if a.auditLog != nil {
				a.auditLog.Printf("%s %s %s %q", e.At.UTC().Format(time.RFC3339), e.Remote, e.Action, e.Detail)
			}
		case <-ctx.Done():
			return
		}
	}
}

// writeJSON writes v as the response body.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}
