// Command historyd serves the job history read-only, for dashboards that
// must not talk to the leader.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/jobscheduler/internal/history"
)

type server struct {
	store *history.Store
}

func (s *server) handleLast(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 20
	}
	recs, err := s.store.Last(r.PathValue("id"), min(n, 500))
	if err != nil && len(recs) == 0 {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(recs); err != nil {
		log.Printf("historyd: write response: %v", err)
	}
}

func (s *server) handleDay(w http.ResponseWriter, r *http.Request) {
	day, err := time.Parse(time.DateOnly, r.PathValue("day"))
	if err != nil {
		http.Error(w, "day must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}
	recs, err := s.store.ReadDay(day)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(recs); err != nil {
		log.Printf("historyd: write response: %v", err)
	}
}

func writePIDFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("dir", "/var/lib/jobscheduler/history", "history directory")
	pidFile := flag.String("pidfile", "/run/historyd.pid", "pid file")
	flag.Parse()

	store, err := history.Open(*dir, slog.Default())
	if err != nil {
		log.Fatalf("historyd: open history: %v", err)
	}
	if err := writePIDFile(*pidFile); err != nil {
		log.Fatalf("historyd: %v", err)
	}
	defer os.Remove(*pidFile)

	s := &server{store: store}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /jobs/{id}/history", s.handleLast)
	mux.HandleFunc("GET /days/{day}", s.handleDay)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("historyd: serving %s on %s", *dir, *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("historyd: %v", err)
	}
}
