// Command etl-scheduler runs the copy jobs listed in a JSON file on their
// schedules and serves the run history on a small HTTP endpoint.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/etl/internal/progress"
	"example.com/etl/internal/schedule"
)

func main() {
	cfgPath := flag.String("config", "jobs.json", "job definitions")
	addr := flag.String("status", ":9090", "status endpoint address")
	workers := flag.Int("workers", 2, "jobs that may run at the same time")
	flag.Parse()

	jobs, err := loadJobs(*cfgPath)
	if err != nil {
		log.Fatalf("etl-scheduler: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep := progress.Start(os.Stderr, time.Minute)
	defer rep.Stop()

	s := schedule.New(log.Printf)
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			log.Printf("etl-scheduler: %v", err)
			return
		}
	}

	srv := &http.Server{Addr: *addr, Handler: statusHandler(s), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("etl-scheduler: status endpoint: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("etl-scheduler: shutdown: %v", err)
		}
	}()

	log.Printf("etl-scheduler: %d jobs, status on %s", len(jobs), *addr)
	if err := s.Run(ctx, *workers); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("etl-scheduler: %v", err)
	}
}

func statusHandler(s *schedule.Scheduler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /history", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(s.History()); err != nil {
			log.Printf("etl-scheduler: history: %v", err)
		}
	})
	return mux
}
