// Command job-scheduler fires cron-like jobs and exposes their status over
// HTTP. The HTTP server runs in the background; main parks forever.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/blindd/internal/svc"
)

type scheduler struct {
	mu      sync.Mutex
	lastRun map[string]time.Time
	history *svc.Store
}

func (s *scheduler) every(name string, d time.Duration, fn func() error) {
	t := time.NewTicker(d)
	for range t.C {
		err := fn()
		s.mu.Lock()
		s.lastRun[name] = time.Now()
		s.mu.Unlock()
		status := []byte("ok")
		if err != nil {
			status = []byte(err.Error())
		}
		s.history.Put(name, status)
	}
}

func (s *scheduler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	json.NewEncoder(w).Encode(s.lastRun)
}

func main() {
	addr := flag.String("addr", ":8099", "status address")
	dataDir := flag.String("data", "/var/lib/job-scheduler", "run history")
	flag.Parse()

	history, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("job-scheduler: %v", err)
	}
	defer history.Close() // run history is only written back here

	s := &scheduler{lastRun: make(map[string]time.Time), history: history}
	go s.every("rotate-logs", time.Hour, func() error { return nil })
	go s.every("expire-sessions", 5*time.Minute, func() error { return nil })

	srv := &http.Server{Addr: *addr, Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil {
			log.Printf("job-scheduler: status server: %v", err)
		}
	}()
	select {} // HAZ signal-skips-defer
}
