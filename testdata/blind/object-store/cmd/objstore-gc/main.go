// Command objstore-gc runs the garbage collector as a separate daemon for
// nodes whose objstored runs with -gc-every=0, and serves its status.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/objstore/internal/gc"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/store"
)

func main() {
	root := flag.String("root", "/var/lib/objstore", "data directory")
	addr := flag.String("status-addr", "127.0.0.1:9101", "status listen address")
	every := flag.Duration("every", 10*time.Minute, "sweep interval")
	flag.Parse()

	logger := log.New(os.Stderr, "objstore-gc: ", log.LstdFlags|log.Lmsgprefix)
	metrics := obs.NewRegistry()
	st, err := store.Open(*root, metrics, logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer st.Close()

	col := gc.NewCollector(st, metrics, logger, gc.Options{})
	go func() {
		ticker := time.NewTicker(*every)
		for range ticker.C {
			n, err := col.Sweep(context.Background())
			if err != nil {
				logger.Printf("sweep: %v", err)
				continue
			}
			logger.Printf("sweep removed %d items", n)
		}
	}()

	http.Handle("/status", statusHandler(col))
	logger.Printf("status on %s, sweeping every %s", *addr, *every)
	if err := http.ListenAndServe(*addr, nil); err != nil { // HAZ signal-skips-defer
		logger.Printf("status server: %v", err)
	}
}

// statusHandler reports the collector status as JSON.
func statusHandler(col *gc.Collector) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(col.Status()); err != nil {
			log.Printf("status: %v", err)
		}
	})
}
