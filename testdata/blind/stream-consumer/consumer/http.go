package consumer

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"example.com/consumer/broker"
)

// DebugRoutes returns the consumer's own debug endpoints, mounted next to
// the metrics admin endpoint.
func (c *Consumer) DebugRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/lag", c.handleLag)
	mux.HandleFunc("GET /debug/assignment", c.handleAssignment)
	mux.HandleFunc("POST /debug/commit", c.handleCommit)
	mux.HandleFunc("POST /debug/commit-sync", c.handleCommitSync)
	mux.HandleFunc("POST /debug/replay", c.handleReplay)
	return mux
}

func (c *Consumer) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		c.log.Printf("debug endpoint: %v", err)
	}
}

func lagJSON(lag map[broker.TopicPartition]int64) map[string]int64 {
	out := make(map[string]int64, len(lag))
	for tp, n := range lag {
		out[tp.String()] = n
	}
	return out
}

// handleLag computes the lag, which asks the broker for every partition,
// and gives up when the client goes away.
func (c *Consumer) handleLag(w http.ResponseWriter, r *http.Request) {
	done := make(chan map[broker.TopicPartition]int64)
	go func() {
		done <- c.Lag() // HAZ goroutine-blocked-send
	}()
	select {
	case lag := <-done:
		c.writeJSON(w, http.StatusOK, lagJSON(lag))
	case <-r.Context().Done():
	}
}

func (c *Consumer) handleAssignment(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := make(chan []broker.TopicPartition, 1)
	go func() { res <- c.Assigned() }()
	select {
	case tps := <-res:
		names := make([]string, len(tps))
		for i, tp := range tps {
			names[i] = tp.String()
		}
		c.writeJSON(w, http.StatusOK, names)
	case <-ctx.Done():
		http.Error(w, "timed out", http.StatusGatewayTimeout)
	}
}

// handleCommit starts a commit and answers 202 at once; the outcome is
// only logged.
func (c *Consumer) handleCommit(w http.ResponseWriter, r *http.Request) {
	done := make(chan error, 1)
	go func() { done <- c.committer.Flush() }()
	defer func() { // HAZ defer-blocking-call
		if err := <-done; err != nil {
			c.log.Printf("manual commit: %v", err)
		}
	}()
	c.writeJSON(w, http.StatusAccepted, map[string]string{"status": "commit started"})
}

// handleCommitSync commits and reports the outcome, bounded by a timeout.
func (c *Consumer) handleCommitSync(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.committer.Flush() }()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		c.writeJSON(w, http.StatusOK, map[string]string{"status": "committed"})
	case <-ctx.Done():
		http.Error(w, "commit still running", http.StatusGatewayTimeout)
	}
}

// LagWithin returns the lag of the partitions that answered before ctx
// ended, asking the broker for all of them concurrently.
func (c *Consumer) LagWithin(ctx context.Context) map[broker.TopicPartition]int64 {
	type result struct {
		tp  broker.TopicPartition
		lag int64
		err error
	}
	assigned := c.Assigned()
	results := make(chan result, len(assigned))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, tp := range assigned {
		go func() {
			end, err := c.broker.HighWatermark(tp)
			results <- result{tp, max(0, end-c.position(tp)), err}
		}()
	}
	out := make(map[broker.TopicPartition]int64, len(assigned))
	for range assigned {
		select {
		case r := <-results:
			if r.err == nil {
				out[r.tp] = r.lag
			}
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// handleReplay starts replaying the last n messages of every assigned
// partition and answers 202 at once.
func (c *Consumer) handleReplay(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.URL.Query().Get("n"), 10, 64)
	if err != nil || n <= 0 {
		http.Error(w, "n must be a positive integer", http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, tp := range c.Assigned() {
		end, err := c.broker.HighWatermark(tp)
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ReplayPartition(context.Background(), tp, max(0, end-n), end); err != nil {
				c.log.Printf("replay %s: %v", tp, err)
			}
		}()
	}
	c.writeJSON(w, http.StatusAccepted, map[string]string{"status": "replay started"})
}
