package configui

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// handleExport streams the buffered segments as a .tar.gz download.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	names, err := filepath.Glob(filepath.Join(s.SegmentDir, "seg-*"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="segments.tar.gz"`)
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(zw)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, name := range names {
		if err := addToTar(tw, name); err != nil {
			log.Printf("configui: export %s: %v", name, err)
			return
		}
	}
}

// addToTar appends one file to tw under its base name.
func addToTar(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// handleAck acknowledges an alarm from the UI and tells the cloud.
func (s *Server) handleAck(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("alarm")
	if id == "" {
		http.Error(w, "missing alarm", http.StatusBadRequest)
		return
	}
	defer s.notifyCloud("alarm-ack", id) // HAZ defer-blocking-call
	s.mu.Lock()
	s.acked = append(s.acked, id)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"acked": id})
}

// notifyCloud posts a UI event to the cloud's webhook.
func (s *Server) notifyCloud(kind, id string) {
	if s.WebhookURL == "" {
		return
	}
	body := fmt.Sprintf(`{"kind":%q,"id":%q}`, kind, id)
	resp, err := http.Post(s.WebhookURL, "application/json", strings.NewReader(body))
	if err != nil {
		log.Printf("configui: webhook: %v", err)
		return
	}
	resp.Body.Close()
}

// handleSetValue sets one configuration value from a form post.
func (s *Server) handleSetValue(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimSpace(r.FormValue("key"))
	if key == "" || strings.ContainsAny(key, " \t\n") {
		http.Error(w, "bad key", http.StatusBadRequest)
		return
	}
	s.store.MustSet(key, r.FormValue("value"))
	writeJSON(w, http.StatusOK, map[string]string{"set": key})
}

// Import replaces the configuration with an uploaded one; a broken upload
// must not crash the UI.
func (s *Server) Import(data []byte) (err error) {
	defer func() {
		handle := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("configui: import: %v", r)
			}
		}
		handle()
	}()
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return err
	}
	s.store.Replace(cfg)
	return nil
}

// handleDeviceInfo returns a device's status together with the firmware
// version it reports.
func (s *Server) handleDeviceInfo(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	verc := make(chan string)
	go func() {
		v := "unknown"
		if s.Exec != nil {
			if out, err := s.Exec(r.Context(), id, "get", map[string]string{"key": "firmware"}); err == nil {
				v = out
			}
		}
		verc <- v // HAZ goroutine-blocked-send
	}()
	for _, st := range s.devices.Statuses() {
		if st.ID == id {
			writeJSON(w, http.StatusOK, map[string]any{"status": st, "firmware": <-verc})
			return
		}
	}
	http.NotFound(w, r)
}
