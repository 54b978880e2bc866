package configui

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"
)

const maxFirmware = 16 << 20

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("configui: encode response: %v", err)
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	var devs any
	if s.devices != nil {
		devs = s.devices.Statuses()
	}
	s.mu.Lock()
	rescans := s.rescans
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"devices": devs, "rescans": rescans})
}

func (s *Server) handleGetConfig(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.store.snapshot())
}

// handlePutConfig applies a JSON patch of configuration values and tells the
// hub which keys changed.
func (s *Server) handlePutConfig(w http.ResponseWriter, r *http.Request) {
	var patch map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&patch); err != nil {
		http.Error(w, "bad config patch: "+err.Error(), http.StatusBadRequest)
		return
	}
	defer func() { s.events <- Event{Kind: "config", Keys: keys(patch)} }() // HAZ defer-blocking-call
	if err := s.store.Apply(patch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, s.store.snapshot())
}

// handleTestUplink probes the broker with a 3s limit.
func (s *Server) handleTestUplink(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	res := make(chan error)
	go func() {
		res <- s.uplink.Probe(ctx) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		if err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case <-ctx.Done():
		http.Error(w, "uplink test timed out", http.StatusGatewayTimeout)
	}
}

// handleCommand runs one device command from the UI's command form.
func (s *Server) handleCommand(w http.ResponseWriter, r *http.Request) {
	if s.Exec == nil {
		http.Error(w, "commands disabled", http.StatusNotFound)
		return
	}
	var req struct {
		Device string            `json:"device"`
		Op     string            `json:"op"`
		Args   map[string]string `json:"args"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	type outcome struct {
		out string
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		out, err := s.Exec(r.Context(), req.Device, req.Op, req.Args)
		done <- outcome{out, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": o.err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"output": o.out})
	case <-r.Context().Done():
		log.Printf("configui: client left before %s/%s finished", req.Device, req.Op)
	}
}

// handleFirmwareUpload stores an uploaded image for the updater.
func (s *Server) handleFirmwareUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	defer r.Body.Close()
	f, err := os.CreateTemp(s.uploadDir, "upload-*.bin")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	name := f.Name()
	n, err := io.Copy(f, http.MaxBytesReader(w, r.Body, maxFirmware))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		http.Error(w, "upload failed: "+err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"file": filepath.Base(name), "bytes": n})
}

// handleRescan starts a background rescan of the devices.
func (s *Server) handleRescan(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			log.Printf("configui: rescan request: %v", rec)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	go s.rescan() // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "rescan started"})
}
