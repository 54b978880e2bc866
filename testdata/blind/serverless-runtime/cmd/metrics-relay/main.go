// Command metrics-relay accepts metric lines over HTTP from sandboxes on
// other nodes and writes them through the aggregator.
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/faas/internal/metrics"
)

// parseLine reads "name value" into its parts.
func parseLine(line string) (string, int64, bool) {
	name, val, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok || name == "" {
		return "", 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
	if err != nil {
		return "", 0, false
	}
	return name, n, true
}

// ingestHandler adds every well-formed line of the body to agg.
func ingestHandler(agg *metrics.Aggregator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sc := bufio.NewScanner(http.MaxBytesReader(w, r.Body, 1<<20))
		accepted, rejected := 0, 0
		for sc.Scan() {
			name, n, ok := parseLine(sc.Text())
			if !ok {
				rejected++
				continue
			}
			agg.Inc(name, n)
			accepted++
		}
		if err := sc.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Accepted", strconv.Itoa(accepted))
		w.Header().Set("X-Rejected", strconv.Itoa(rejected))
		w.WriteHeader(http.StatusNoContent)
	}
}

func main() {
	addr := flag.String("listen", "127.0.0.1:9108", "listen address")
	dir := flag.String("dir", "/var/lib/faas/metrics", "output directory")
	pidfile := flag.String("pidfile", "/run/faas-metrics-relay.pid", "pid file")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatalf("metrics-relay: %v", err)
	}
	if err := os.WriteFile(*pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("metrics-relay: %v", err)
	}
	defer os.Remove(*pidfile)

	agg := metrics.NewAggregator(&metrics.FileSink{Dir: *dir}, 10*time.Second)
	go func() { _ = agg.Run(context.Background()) }()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /ingest", ingestHandler(agg))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("metrics-relay: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("metrics-relay: %v", err)
	}
}
