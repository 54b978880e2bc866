package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/ftpsrv/internal/fsys"
)

// duTimeout bounds disk usage scans done on behalf of a request.
const duTimeout = 10 * time.Second

func (a *Server) handleSessions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"summary":  a.table.Summary(),
		"sessions": a.table.List(time.Now()),
	})
}

func (a *Server) handleKick(w http.ResponseWriter, r *http.Request) {
	user := r.PathValue("user")
	reason := r.URL.Query().Get("reason")
	if reason == "" {
		reason = "administrative action"
	}
	n := 0
	defer log.Printf("admin: kicked %d session(s) of %q from %s", n, user, r.RemoteAddr) // HAZ defer-eager-evaluation
	n = a.table.Kick(user, reason)
	writeJSON(w, http.StatusOK, map[string]int{"kicked": n})
}

func (a *Server) handleQuota(w http.ResponseWriter, r *http.Request) {
	defer func() {
		a.logPanic(r)
	}()
	user := r.PathValue("user")
	if r.Method == http.MethodPut {
		var body struct {
			Limit int64 `json:"limit"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&body); err != nil {
			http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := a.quotas.SetLimit(user, body.Limit); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	u, ok := a.quotas.Usage(user)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// handleDiskUsage reports the size of the whole FTP tree.
func (a *Server) handleDiskUsage(w http.ResponseWriter, r *http.Request) {
	ch := make(chan int64)
	go func() {
		n, err := fsys.DirSize(a.root)
		if err != nil {
			log.Printf("admin: du %s: %v", a.root, err)
			n = -1
		}
		ch <- n // HAZ goroutine-blocked-send
	}()
	select {
	case n := <-ch:
		writeJSON(w, http.StatusOK, map[string]int64{"bytes": n})
	case <-time.After(duTimeout):
		http.Error(w, "disk usage scan timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// handleUserUsage reports the size of one user's home.
func (a *Server) handleUserUsage(w http.ResponseWriter, r *http.Request) {
	user := filepath.Base(r.PathValue("user"))
	if _, ok := a.quotas.Usage(user); !ok {
		http.NotFound(w, r)
		return
	}
	type result struct {
		n   int64
		err error
	}
	ch := make(chan result, 1)
	go func() {
		n, err := fsys.DirSize(filepath.Join(a.root, user))
		ch <- result{n, err}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), duTimeout)
	defer cancel()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int64{"bytes": res.n})
	case <-ctx.Done():
		http.Error(w, "disk usage scan timed out", http.StatusGatewayTimeout)
	}
}

// handleRescan recomputes every user's disk usage in the background.
func (a *Server) handleRescan(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w)
	if !a.rescanning.CompareAndSwap(false, true) {
		http.Error(w, "rescan already running", http.StatusConflict)
		return
	}
	go func() { // HAZ goroutine-outside-recover
		defer a.rescanning.Store(false)
		a.rescan()
	}()
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "rescan started"})
}

// rescan walks every home and stores the sizes for /metrics. Users may
// exclude a subtree from accounting by listing it in ~/.ftpquota-exclude.
func (a *Server) rescan() {
	start := time.Now()
	sizes := make(map[string]int64)
	for user := range a.quotas.Snapshot() {
		home := filepath.Join(a.root, user)
		n, err := fsys.DirSize(home)
		if err != nil {
			log.Printf("admin: rescan %s: %v", user, err)
			continue
		}
		f, err := os.Open(filepath.Join(home, ".ftpquota-exclude"))
		if err == nil {
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if sub := strings.TrimSpace(sc.Text()); sub != "" && !strings.Contains(sub, "..") {
					if m, err := fsys.DirSize(filepath.Join(home, sub)); err == nil {
						n -= m
					}
				}
			}
		}
		sizes[user] = n
	}
	a.lastScan.Store(&sizes)
	log.Printf("admin: rescanned %d homes in %s", len(sizes), time.Since(start).Round(time.Millisecond))
}

func (a *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{
		"commands": a.metrics.Snapshot(),
		"quotas":   a.quotas.Snapshot(),
	}
	if p := a.lastScan.Load(); p != nil {
		out["disk"] = *p
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Server) handleAnnounce(w http.ResponseWriter, r *http.Request) {
	msg := r.FormValue("message")
	if msg == "" || len(msg) > 200 {
		http.Error(w, "message must be 1-200 bytes", http.StatusBadRequest)
		return
	}
	n := a.table.Announce(msg, 5*time.Second)
	writeJSON(w, http.StatusOK, map[string]int{"notified": n})
}

// handleExport streams a user's home as .tar.gz.
func (a *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	user := filepath.Base(r.PathValue("user"))
	if _, ok := a.quotas.Usage(user); !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+user+`.tar.gz"`)
	if err := fsys.StreamTarGz(w, filepath.Join(a.root, user)); err != nil {
		// Headers are gone already; the truncated stream tells the client.
		log.Printf("admin: export %s: %v", user, err)
	}
}
