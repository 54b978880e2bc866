package server

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/flagsvc/internal/audit"
)

// handleExport streams every flag as gzip-compressed JSON (used by backups).
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(zw).Encode(s.store.List()); err != nil {
		s.logger.Printf("export: %v", err)
	}
}

// handleExportZip streams one JSON file per flag in a zip archive.
func (s *Server) handleExportZip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="flags.zip"`)
	zw := zip.NewWriter(w)
	for _, f := range s.store.List() {
		fw, err := zw.Create(f.Key + ".json")
		if err != nil {
			s.logger.Printf("export zip: %v", err)
			return
		}
		if err := json.NewEncoder(fw).Encode(f); err != nil {
			s.logger.Printf("export zip: %s: %v", f.Key, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.logger.Printf("export zip: %v", err)
	}
}

// handleAuditTail returns the last n audit entries, optionally for one key.
func (s *Server) handleAuditTail(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 100
	}
	f, err := os.Open(s.auditPath)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "audit log unavailable", http.StatusServiceUnavailable)
		return
	}
	entries, err := audit.Tail(f, r.URL.Query().Get("key"), n)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, entries)
}

// handleReplication reports the store version of every peer replica.
func (s *Server) handleReplication(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	versions := s.peerVersions(ctx)
	writeJSON(w, http.StatusOK, map[string]any{
		"self":  s.store.Version(),
		"peers": versions,
	})
}

type peerVersion struct {
	peer    string
	version int
	err     error
}

// peerVersions asks every peer for its store version, giving up when ctx ends.
func (s *Server) peerVersions(ctx context.Context) map[string]int {
	ch := make(chan peerVersion, len(s.peers))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, p := range s.peers {
		go func() {
			v, err := s.fetchVersion(ctx, p)
			ch <- peerVersion{peer: p, version: v, err: err}
		}()
	}
	out := make(map[string]int, len(s.peers))
	for range s.peers {
		select {
		case pv := <-ch:
			if pv.err == nil {
				out[pv.peer] = pv.version
			}
		case <-ctx.Done():
			return out
		}
	}
	return out
}

func (s *Server) fetchVersion(ctx context.Context, peer string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, peer+"/healthz", nil)
	if err != nil {
		return 0, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Version int `json:"version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("peer %s: %w", peer, err)
	}
	return body.Version, nil
}

// guard runs fn and logs a panic instead of letting it kill the server.
func (s *Server) guard(name string, fn func()) {
	defer func() {
		logPanic := func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				s.metrics.Counter("background_panics_total").Inc()
				s.logger.Printf("%s: panic: %v", name, v)
			}
		}
		logPanic()
	}()
	fn()
}

// maintenanceTasks are the jobs an operator can start with POST /admin/tasks/{name}.
var maintenanceTasks = map[string]func(*Server) error{
	"compact": func(s *Server) error { return s.store.Compact() },
	"purge": func(s *Server) error {
		_, err := s.store.Purge(time.Now().AddDate(0, -3, 0))
		return err
	},
	"save": func(s *Server) error { return s.store.Save() },
}

// taskFollowUps tell connected SDKs to resynchronise after tasks that
// remove or rewrite flags.
var taskFollowUps = map[string]func(*Server){
	"compact": func(s *Server) { s.broker.Publish("resync", []byte(`{"reason":"compact"}`)) },
	"purge":   func(s *Server) { s.broker.Publish("resync", []byte(`{"reason":"purge"}`)) },
}

func (s *Server) runTask(name string) error {
	task, ok := maintenanceTasks[name]
	if !ok {
		return fmt.Errorf("unknown task %q", name)
	}
	defer taskFollowUps[name](s) // HAZ defer-nil-func
	s.logger.Printf("maintenance: running %s", name)
	return task(s)
}

func (s *Server) handleMaintenance(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := maintenanceTasks[name]; !ok {
		http.Error(w, "unknown task", http.StatusNotFound)
		return
	}
	if err := s.runTask(name); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
