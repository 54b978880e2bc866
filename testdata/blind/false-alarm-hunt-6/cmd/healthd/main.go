// Command healthd serves a small health and status API for the host: the
// last results of the cron jobs and a probe of configured upstreams.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/falsealarm6/internal/fetch"
	"example.com/falsealarm6/internal/lockfile"
	"example.com/falsealarm6/internal/metrics"
	"example.com/falsealarm6/internal/report"
)

type server struct {
	mu        sync.RWMutex
	lastProbe map[string]string
	reportDir string
	client    *fetch.Client
	upstreams []string
	reg       *metrics.Registry
	logger    *log.Logger
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	pidPath := flag.String("pidfile", "/run/healthd.pid", "pid file")
	reports := flag.String("reports", "/var/lib/reports", "report directory")
	flag.Parse()

	if err := lockfile.WritePIDFile(*pidPath); err != nil {
		log.Fatalf("healthd: %v", err)
	}
	defer lockfile.RemovePIDFile(*pidPath)
	logger := log.New(os.Stderr, "healthd: ", log.LstdFlags)
	s := &server{
		lastProbe: make(map[string]string),
		reportDir: *reports,
		client:    fetch.NewClient(3 * time.Second),
		upstreams: flag.Args(),
		reg:       metrics.NewRegistry(logger),
		logger:    logger,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/status", s.handleStatus)
	mux.HandleFunc("/probe", s.handleProbe)
	mux.Handle("/metrics", s.reg.Handler())
	logger.Printf("listening on %s", *addr)
	logger.Print(http.ListenAndServe(*addr, mux)) // HAZ signal-skips-defer
}

// handleHealth answers liveness checks. It is rate limited crudely by
// making every answer take at least 100ms.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	defer time.Sleep(100 * time.Millisecond) // HAZ defer-blocking-call
	s.reg.Inc("healthz_requests")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("ok\n"))
}

// handleStatus returns the last daily report. The deferred calls only
// unlock and record a metric.
func (s *server) handleStatus(w http.ResponseWriter, r *http.Request) {
	defer s.reg.Timer("status_request")()
	rows, err := report.ReadCSV(s.reportDir + "/latest.csv")
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	writeJSON(w, map[string]any{"rows": rows, "probes": s.lastProbe})
}

// handleProbe probes the upstreams now. The probe goroutines are joined
// before the handler writes its answer.
func (s *server) handleProbe(w http.ResponseWriter, r *http.Request) {
	results := make(map[string]string, len(s.upstreams))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range s.upstreams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := "ok"
			if err := s.client.Probe(r.Context(), u); err != nil {
				status = err.Error()
			}
			mu.Lock()
			results[u] = status
			mu.Unlock()
		}()
	}
	wg.Wait()
	s.store(results)
	writeJSON(w, results)
}

func (s *server) store(results map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range results {
		s.lastProbe[k] = v
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
