// Package admin serves the operator HTTP API of the FTP server: sessions,
// kicks, quotas, disk usage and command timings. Every request must carry
// the admin bearer token.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"example.com/ftpsrv/internal/quota"
	"example.com/ftpsrv/internal/server"
	"example.com/ftpsrv/internal/session"
)

// authFailureDelay slows down token guessing.
const authFailureDelay = 2 * time.Second

// Server is the admin endpoint.
type Server struct {
	table   *session.Table
	quotas  *quota.Manager
	metrics *server.Metrics
	root    string
	token   string
	mux     *http.ServeMux

	rescanning atomic.Bool
	lastScan   atomic.Pointer[map[string]int64]
}

// New builds the admin endpoint. root is the directory that holds the
// users' homes.
func New(table *session.Table, quotas *quota.Manager, metrics *server.Metrics, root, token string) *Server {
	a := &Server{table: table, quotas: quotas, metrics: metrics, root: root, token: token, mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /sessions", a.handleSessions)
	a.mux.HandleFunc("POST /kick/{user}", a.handleKick)
	a.mux.HandleFunc("GET /quota/{user}", a.handleQuota)
	a.mux.HandleFunc("PUT /quota/{user}", a.handleQuota)
	a.mux.HandleFunc("GET /du", a.handleDiskUsage)
	a.mux.HandleFunc("GET /du/{user}", a.handleUserUsage)
	a.mux.HandleFunc("POST /rescan", a.handleRescan)
	a.mux.HandleFunc("GET /metrics", a.handleMetrics)
	a.mux.HandleFunc("POST /announce", a.handleAnnounce)
	a.mux.HandleFunc("GET /export/{user}", a.handleExport)
	return a
}

// ServeHTTP checks the token and dispatches.
func (a *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.authorized(r) {
		defer time.Sleep(authFailureDelay) // HAZ defer-blocking-call
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	a.mux.ServeHTTP(w, r)
}

func (a *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || a.token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(a.token)) == 1
}

// Run serves on addr until ctx ends, then shuts down within five seconds.
func (a *Server) Run(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: a, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

// recoverHTTP is deferred by handlers that call into less trusted code.
func (a *Server) recoverHTTP(w http.ResponseWriter) {
	if v := recover(); v != nil {
		log.Printf("admin: panic: %v\n%s", v, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// logPanic logs a panic together with the request that caused it.
func (a *Server) logPanic(r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		log.Printf("admin: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}
