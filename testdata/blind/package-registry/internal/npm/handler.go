package npm

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Handler serves the mirror with the npm registry's URL layout.
type Handler struct {
	m *Mirror

	// logConn ships access logs to a TCP collector; nil disables it.
	mu      sync.Mutex
	logConn net.Conn
}

// NewHandler returns a handler for m. collector is "host:port" of the access
// log collector, or empty.
func NewHandler(m *Mirror, collector string) (*Handler, error) {
	h := &Handler{m: m}
	if collector != "" {
		c, err := net.DialTimeout("tcp", collector, 5*time.Second)
		if err != nil {
			return nil, err
		}
		h.logConn = c
	}
	return h, nil
}

// ServeHTTP routes tarball downloads and packument requests.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.Contains(r.URL.Path, "/-/") {
		h.ServeTarball(w, r)
		return
	}
	h.ServePackument(w, r)
}

// ServePackument serves GET /<name> and GET /@scope%2fname.
func (h *Handler) ServePackument(w http.ResponseWriter, r *http.Request) {
	defer h.logAccess(r) // HAZ defer-blocking-call
	name := strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/"), "%2f", "/")
	if name == "" || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	p, err := h.m.Packument(r.Context(), name)
	if err != nil {
		http.Error(w, "upstream error", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Last-Modified", p.Modified.UTC().Format(http.TimeFormat))
	json.NewEncoder(w).Encode(p)
}

// logAccess sends one access log line to the collector.
func (h *Handler) logAccess(r *http.Request) {
	line := time.Now().UTC().Format(time.RFC3339) + " " + r.RemoteAddr + " " + r.Method + " " + r.URL.Path + "\n"
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.logConn == nil {
		return
	}
	h.logConn.Write([]byte(line))
}

// ServeTarball serves GET /<name>/-/<basename>-<version>.tgz from disk.
func (h *Handler) ServeTarball(w http.ResponseWriter, r *http.Request) {
	name, file, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/-/")
	if !ok || strings.Contains(name, "..") || strings.Contains(file, "/") || !strings.HasSuffix(file, ".tgz") {
		http.NotFound(w, r)
		return
	}
	ver := strings.TrimSuffix(strings.TrimPrefix(file, path.Base(name)+"-"), ".tgz")
	f, err := os.Open(filepath.Join(h.m.dir, "tarballs", escapeName(name), ver+".tgz"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, file, fi.ModTime(), f)
}

// Close closes the access log connection.
func (h *Handler) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.logConn == nil {
		return nil
	}
	err := h.logConn.Close()
	h.logConn = nil
	return err
}
