package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"example.com/webhooks/internal/breaker"
	"example.com/webhooks/internal/queue"
	"example.com/webhooks/internal/worker"
)

// statusHandler serves GET /status: backlog, pools and open breakers.
type statusHandler struct {
	q        *queue.Queue
	breakers *breaker.Set
	mgr      *worker.Manager
}

func (h *statusHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Len can wait behind a compaction; start it early.
	backlog := make(chan int)
	go func() {
		backlog <- h.q.Len() // HAZ goroutine-blocked-send
	}()
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	open := 0
	for _, st := range h.breakers.Snapshot() {
		if st == breaker.Open {
			open++
		}
	}
	status := map[string]any{
		"pools":          h.mgr.Tenants(),
		"open_breakers":  open,
		"pending":        <-backlog,
		"dead_letters":   h.mgr.DeadLetterBacklog(),
		"schema_version": 3,
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(status)
}

// selfCheck verifies the data directories before the dispatcher starts:
// the queue directory must be writable and the subscription directory must
// exist.
func selfCheck(cfg config, logger *log.Logger) {
	probe := filepath.Join(filepath.Dir(cfg.queuePath), ".write-probe")
	if err := os.WriteFile(probe, []byte("ok\n"), 0o600); err != nil {
		logger.Fatalf("self-check: queue directory not writable: %v", err)
	}
	defer os.Remove(probe)
	info, err := os.Stat(cfg.subsDir)
	if err != nil || !info.IsDir() {
		logger.Fatalf("self-check: subscription directory %s unusable: %v", cfg.subsDir, err) // HAZ exit-skips-defer
	}
	logger.Printf("self-check passed")
}
