// Command stats-relay receives statistics lines from edge SFU nodes,
// aggregates them and serves the totals over HTTP. On exit it persists a
// compressed snapshot so that dashboards survive a restart.
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"net/http"
	"strconv"
	"time"

	"example.com/confsfu/internal/stats"
)

// ingestHandler accepts newline-separated sample lines.
func ingestHandler(agg *stats.Aggregator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		sc := bufio.NewScanner(http.MaxBytesReader(w, r.Body, 1<<20))
		n := 0
		for sc.Scan() {
			s, err := stats.DecodeSample(sc.Text())
			if err != nil {
				continue
			}
			if agg.Ingest(s) {
				n++
			}
		}
		if err := sc.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Samples-Accepted", strconv.Itoa(n))
		w.WriteHeader(http.StatusAccepted)
	}
}

// totalsHandler serves the current totals as JSON lines.
func totalsHandler(agg *stats.Aggregator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		if err := agg.Publish(w); err != nil {
			log.Printf("stats-relay: publish: %v", err)
		}
	}
}

func main() {
	addr := flag.String("listen", ":9090", "HTTP listen address")
	snapshot := flag.String("snapshot", "stats-snapshot.json.gz", "snapshot written on exit")
	flag.Parse()

	agg := stats.NewAggregator(2, time.Second, log.Default())
	agg.Start(context.Background())
	defer func() {
		if err := stats.ExportSnapshotGz(*snapshot, agg.Snapshot()); err != nil {
			log.Printf("stats-relay: snapshot: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.Handle("/ingest", ingestHandler(agg))
	mux.Handle("/totals", totalsHandler(agg))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("stats-relay listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("stats-relay: %v", err)
	}
}
