// Command metricsd counts events over HTTP and persists the counters when
// it is stopped with SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindg/internal/cache"
	"example.com/blindg/internal/fileio"
)

func persistCounters(c *cache.ShardedCounter, path string) {
	data, err := json.Marshal(c.Snapshot())
	if err != nil {
		log.Printf("marshal counters: %v", err)
		return
	}
	if err := fileio.WriteFileAtomic(path, data, 0o644); err != nil {
		log.Printf("persist counters: %v", err)
	}
}

func main() {
	path := os.Getenv("METRICSD_STATE")
	if path == "" {
		path = "counters.json"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	c := cache.NewShardedCounter()
	defer persistCounters(c, path) // ok: runs after the signal-driven shutdown below

	mux := http.NewServeMux()
	mux.HandleFunc("POST /inc/{key}", func(w http.ResponseWriter, r *http.Request) {
		c.Inc(r.PathValue("key"))
		w.WriteHeader(http.StatusNoContent)
	})
	srv := &http.Server{Addr: ":9100", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("serve: %v", err)
		return
	}
	<-drained // in-flight increments finish before the counters are persisted
}
