// Command snapshotd serves read-only snapshot downloads and document
// restores from a snapshot directory, for backup tooling and cold replicas.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/collab/internal/snapshot"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("dir", "data", "snapshot directory")
	pidPath := flag.String("pidfile", "", "write the process id to this file")
	flag.Parse()

	if *pidPath != "" {
		if err := writePIDFile(*pidPath); err != nil {
			log.Fatalf("snapshotd: %v", err)
		}
		defer os.Remove(*pidPath)
	}
	loader := snapshot.NewLoader(*dir, 4)
	defer loader.Close()

	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(*dir))))
	mux.HandleFunc("/snapshots/", snapshotHandler(loader))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	log.Printf("snapshotd: serving %s on %s", *dir, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("snapshotd: %v", err)
	}
}

// writePIDFile records the process id, refusing to overwrite a live one.
func writePIDFile(path string) error {
	if b, err := os.ReadFile(path); err == nil {
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
			return fmt.Errorf("pid file %s exists (pid %d)", path, pid)
		}
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// snapshotHandler returns the decoded snapshot of /snapshots/{id} as JSON.
func snapshotHandler(loader *snapshot.Loader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/snapshots/")
		if id == "" || strings.ContainsAny(id, `/\.`) {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		snap, err := loader.Load(ctx, id)
		switch {
		case errors.Is(err, os.ErrNotExist):
			http.Error(w, "not found", http.StatusNotFound)
			return
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(snap); err != nil {
			log.Printf("snapshotd: write %s: %v", id, err)
		}
	}
}
