package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Handler returns the status API.
func (d *Daemon) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/status", d.handleStatus)
	mux.HandleFunc("/probe", d.handleProbe)
	mux.HandleFunc("/probe2", d.handleProbeBuffered)
	mux.HandleFunc("/reload", d.handleReload)
	mux.HandleFunc("/sweep", d.handleSweep)
	return mux
}

func (d *Daemon) handleStatus(w http.ResponseWriter, r *http.Request) {
	s := d.Stats()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"name":     d.cfg.Name,
		"running":  d.Running(),
		"jobs":     d.JobCount(),
		"runs":     s.Runs,
		"failures": s.Failures,
	})
}

// probe checks that the spool directory is writable.
func (d *Daemon) probe(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.cfg.SpoolDir == "" {
		return nil
	}
	f, err := os.CreateTemp(d.cfg.SpoolDir, ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	return errors.Join(f.Close(), os.Remove(name))
}

func (d *Daemon) handleProbe(w http.ResponseWriter, r *http.Request) {
	res := make(chan error)
	go func() { res <- d.probe(r.Context()) }() // HAZ goroutine-blocked-send
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	case <-time.After(2 * time.Second):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

func (d *Daemon) handleProbeBuffered(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- d.probe(ctx) }() // ok: buffered, the send never blocks
	select {
	case err := <-res:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	case <-ctx.Done():
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

// sweepSpool removes stale temp files from the spool directory.
func (d *Daemon) sweepSpool() {
	if d.cfg.SpoolDir == "" {
		return
	}
	cutoff := time.Now().Add(-time.Hour)
	filepath.WalkDir(d.cfg.SpoolDir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".tmp") {
			return nil
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(p)
		}
		return nil
	})
}

// reloadJobs re-reads job definitions; jobs here are code, so this only
// reports how many there are.
func (d *Daemon) reloadJobs() int { return d.JobCount() }

func (d *Daemon) handleReload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer d.sweepSpool() // HAZ defer-blocking-call
	n := d.reloadJobs()
	json.NewEncoder(w).Encode(map[string]int{"jobs": n})
}

// handleSweep runs the sweep in the background after answering.
func (d *Daemon) handleSweep(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	go d.sweepSpool() // ok: not deferred, the response is not held
	w.WriteHeader(http.StatusAccepted)
}
