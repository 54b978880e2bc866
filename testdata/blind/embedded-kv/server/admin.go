package server

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"example.com/ekv/kv"
)

// Admin is the HTTP admin API: health, stats, key lookups and backups.
type Admin struct {
	db        *kv.DB
	srv       *Server
	events    chan<- Event
	log       *log.Logger
	timeout   time.Duration
	backupDir string
}

// NewAdmin returns the admin API for db. srv may be nil.
func NewAdmin(db *kv.DB, srv *Server, events chan<- Event, logger *log.Logger, backupDir string) *Admin {
	return &Admin{
		db:        db,
		srv:       srv,
		events:    events,
		log:       logger,
		timeout:   3 * time.Second,
		backupDir: backupDir,
	}
}

// Handler returns the admin routes.
func (a *Admin) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", a.handleHealth)
	mux.HandleFunc("/stats", a.handleStats)
	mux.HandleFunc("/get", a.handleGet)
	mux.HandleFunc("/keys", a.handleKeys)
	mux.HandleFunc("/backup", a.handleBackup)
	mux.HandleFunc("/sync", a.handleSync)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (a *Admin) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := a.db.Count([]byte("\x00health")); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *Admin) handleStats(w http.ResponseWriter, r *http.Request) {
	body := map[string]interface{}{
		"db":   a.db.Stats(),
		"info": a.db.Info(),
	}
	if a.srv != nil {
		body["server"] = a.srv.Metrics()
	}
	writeJSON(w, http.StatusOK, body)
}

func (a *Admin) handleGet(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	type result struct {
		v   []byte
		err error
	}
	ch := make(chan result)
	go func() {
		v, err := a.db.Get([]byte(key))
		ch <- result{v: v, err: err} // HAZ goroutine-blocked-send
	}()

	select {
	case res := <-ch:
		switch {
		case errors.Is(res.err, kv.ErrNotFound):
			http.NotFound(w, r)
		case res.err != nil:
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(res.v)
		}
	case <-r.Context().Done():
		// client went away
	case <-time.After(a.timeout):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

func (a *Admin) handleKeys(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 || n > 10000 {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		limit = n
	}

	ctx, cancel := context.WithTimeout(r.Context(), a.timeout)
	defer cancel()
	type result struct {
		keys []string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var keys []string
		err := a.db.View(func(tx *kv.Tx) error {
			it := tx.Iterate([]byte(prefix))
			for len(keys) < limit && it.Next() {
				if err := ctx.Err(); err != nil {
					return err
				}
				keys = append(keys, string(it.Key()))
			}
			return it.Err()
		})
		ch <- result{keys: keys, err: err}
	}()

	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, res.keys)
	case <-ctx.Done():
		http.Error(w, "listing timed out", http.StatusGatewayTimeout)
	}
}

func (a *Admin) handleBackup(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	path := filepath.Join(a.backupDir, kv.BackupName(time.Now()))
	start := time.Now()
	var err error
	defer func() { // HAZ defer-blocking-call
		a.events <- Event{Kind: "backup", Path: path, Err: err, Took: time.Since(start), At: start}
	}()

	if err = a.db.Snapshot(path, kv.SnapshotOptions{}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": path})
}

func (a *Admin) handleSync(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	start := time.Now()
	err := a.db.Sync()
	defer func() {
		select {
		case a.events <- Event{Kind: "sync", Err: err, Took: time.Since(start), At: start}:
		default: // never hold a request for the event log
		}
	}()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
