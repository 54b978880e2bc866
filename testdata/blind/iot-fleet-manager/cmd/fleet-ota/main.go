// Command fleet-ota serves firmware images to devices over HTTP. It runs
// next to fleetd on edge sites with poor uplinks.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	dir := flag.String("dir", "/var/lib/fleetd/images", "directory of firmware images")
	addr := flag.String("addr", ":8090", "listen address")
	pidFile := flag.String("pidfile", "/run/fleet-ota.pid", "pid file")
	flag.Parse()

	if err := writePIDFile(*pidFile); err != nil {
		log.Fatalf("fleet-ota: %v", err)
	}
	defer os.Remove(*pidFile)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           newOTAHandler(*dir),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("fleet-ota: serving %s on %s", *dir, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("fleet-ota: %v", err)
	}
}

// writePIDFile refuses to start when another instance left its pid file.
func writePIDFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: is another fleet-ota running?", path)
		}
		return err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type otaHandler struct {
	dir string
	log *log.Logger
}

func newOTAHandler(dir string) *otaHandler {
	return &otaHandler{dir: dir, log: log.New(os.Stderr, "fleet-ota ", log.LstdFlags)}
}

// ServeHTTP serves /images/NAME with range support, so that devices can
// resume interrupted downloads.
func (h *otaHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/images/")
	if name == "" || strings.Contains(name, "/") || !strings.HasSuffix(name, ".bin") {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(h.dir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "stat failed", http.StatusInternalServerError)
		return
	}
	h.log.Printf("%s %s range=%q", r.RemoteAddr, name, r.Header.Get("Range"))
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, name, st.ModTime(), f)
}
