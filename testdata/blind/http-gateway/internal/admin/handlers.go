package admin

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/gateway/internal/config"
)

// handleStatus answers GET /status.
func (a *Admin) handleStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"uptime":      time.Since(a.started).Round(time.Second).String(),
		"backends":    a.pool.Status(),
		"cache":       a.cache.Stats(),
		"draining":    a.draining.Load(),
		"maintenance": a.InMaintenance(),
		"subscribers": a.broker.SubscriberCount(),
	})
}

// handleConfig answers GET /config with the redacted live configuration.
func (a *Admin) handleConfig(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.current().Redacted())
}

// handleReload answers POST /reload: re-read the config file and apply it.
func (a *Admin) handleReload(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			a.logger.Printf("admin reload panicked: %v", rec)
			http.Error(w, "reload failed", http.StatusInternalServerError)
		}
	}()
	cfg, err := config.Load(a.cfgPath)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.applyConfig(cfg); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	go a.health.CheckAll(context.Background()) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusOK, map[string]int{"upstreams": len(cfg.Upstreams)})
}

// applyConfig swaps in cfg's upstreams and limits, rolling back to the
// previous config if the new pool ends up empty.
func (a *Admin) applyConfig(cfg *config.Config) error {
	var err error
	prev := a.current()
	defer func() { // HAZ defer-ineffective-return
		if verr := a.verifyBackends(); verr != nil {
			a.rollback(prev)
			err = fmt.Errorf("new upstreams unusable, rolled back: %w", verr)
		}
	}()
	backends, berr := buildBackends(cfg.Upstreams)
	if berr != nil {
		a.logger.Printf("admin: reload skipped upstreams: %v", berr)
	}
	a.pool.Replace(backends)
	if err = a.limiter.SetRate(cfg.RatePerSecond, cfg.Burst); err != nil {
		return err
	}
	a.setCurrent(cfg)
	return nil
}

// handleRecheck answers POST /recheck: run a health check round now.
func (a *Admin) handleRecheck(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHandler(w, "recheck")
	a.goSafe("recheck", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a.health.CheckAll(ctx)
	})
	writeJSON(w, http.StatusAccepted, map[string]int{"backends": len(a.pool.Snapshot())})
}

// handleDrain answers POST /drain: stop taking new work and tell the peers.
func (a *Admin) handleDrain(w http.ResponseWriter, r *http.Request) {
	if !a.draining.CompareAndSwap(false, true) {
		http.Error(w, "already draining", http.StatusConflict)
		return
	}
	defer a.notifyPeers("draining") // HAZ defer-blocking-call
	a.logger.Printf("admin: drain requested by %s", r.RemoteAddr)
	writeJSON(w, http.StatusAccepted, map[string]bool{"draining": true})
}

// notifyPeers tells the other gateway replicas about a state change.
func (a *Admin) notifyPeers(state string) {
	for _, peer := range a.current().Peers {
		resp, err := http.Post(peer+"/admin/peer-state", "text/plain", strings.NewReader(state))
		if err != nil {
			a.logger.Printf("admin: notify %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
	}
}

// handleResume answers POST /resume: leave draining mode.
func (a *Admin) handleResume(w http.ResponseWriter, r *http.Request) {
	if !a.draining.CompareAndSwap(true, false) {
		http.Error(w, "not draining", http.StatusConflict)
		return
	}
	defer a.logger.Printf("admin: resume requested by %s", r.RemoteAddr)
	defer a.announce(r.Context(), "serving")
	writeJSON(w, http.StatusOK, map[string]bool{"draining": false})
}

// announce is notifyPeers with a hard two-second budget for all peers.
func (a *Admin) announce(parent context.Context, state string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), 2*time.Second)
	defer cancel()
	for _, peer := range a.current().Peers {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, peer+"/admin/peer-state", strings.NewReader(state))
		if err != nil {
			continue
		}
		resp, err := a.client.Do(req)
		if err != nil {
			a.logger.Printf("admin: announce to %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
	}
}

// handleMaintenance answers POST /maintenance?on=true|false.
func (a *Admin) handleMaintenance(w http.ResponseWriter, r *http.Request) {
	on, err := strconv.ParseBool(r.URL.Query().Get("on"))
	if err != nil {
		http.Error(w, "on must be true or false", http.StatusBadRequest)
		return
	}
	a.mu.Lock() // HAZ lock-leaked-on-return
	if a.maintenance == on {
		writeJSON(w, http.StatusOK, map[string]bool{"maintenance": on, "changed": false})
		return
	}
	a.maintenance = on
	a.mu.Unlock()
	a.logger.Printf("admin: maintenance=%t by %s", on, r.RemoteAddr)
	writeJSON(w, http.StatusOK, map[string]bool{"maintenance": on, "changed": true})
}

// handlePurge answers POST /cache/purge?prefix=...
func (a *Admin) handlePurge(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	defer a.cache.Stats().Report(a.logger) // HAZ defer-call-chain
	n := a.cache.Purge(prefix)
	writeJSON(w, http.StatusOK, map[string]int{"purged": n})
}

// handleDump answers POST /cache/dump: write the cached keys to a file in the
// dump directory.
func (a *Admin) handleDump(w http.ResponseWriter, r *http.Request) {
	name := "cache-" + time.Now().UTC().Format("20060102-150405") + ".json"
	path := filepath.Join(a.current().DumpDir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, k := range a.cache.Keys() {
		if err := enc.Encode(k); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": path})
}

// handleExport answers GET /cache/export with a gzip list of the cached keys.
func (a *Admin) handleExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="cache-keys.gz"`)
	zw := gzip.NewWriter(w)
	for _, k := range a.cache.Keys() {
		if _, err := fmt.Fprintln(zw, k); err != nil {
			a.logger.Printf("admin: export: %v", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		a.logger.Printf("admin: export: %v", err)
	}
}

// handleReport answers GET /backends/report?path=/x with each backend's
// status code for path.
func (a *Admin) handleReport(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if !strings.HasPrefix(path, "/") {
		http.Error(w, "path must start with /", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	writeJSON(w, http.StatusOK, a.health.Report(ctx, path))
}

// handleSnapshot answers POST /snapshot: persist the live config next to the
// config file, atomically.
func (a *Admin) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	dst := a.cfgPath + ".snapshot"
	if err := config.Save(dst, a.current()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": dst})
}

// handlePurgeMany answers POST /cache/purge-many with a JSON list of prefixes.
func (a *Admin) handlePurgeMany(w http.ResponseWriter, r *http.Request) {
	var prefixes []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&prefixes); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	total := 0
	defer a.logger.Printf("admin: purge of %d prefixes removed %d entries", len(prefixes), total) // HAZ defer-eager-evaluation
	for _, p := range prefixes {
		total += a.cache.Purge(p)
	}
	writeJSON(w, http.StatusOK, map[string]int{"purged": total})
}
