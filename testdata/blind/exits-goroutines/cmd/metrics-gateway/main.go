// Command metrics-gateway accepts pushed metric samples over HTTP and keeps
// them in a write-back store that is flushed to disk on shutdown.
package main

import (
	"flag"
	"log"
	"net/http"

	"example.com/blindd/internal/svc"
)

func main() {
	addr := flag.String("addr", ":9091", "listen address")
	dataDir := flag.String("data", "/var/lib/metrics-gateway", "state directory")
	flag.Parse()

	store, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("metrics-gateway: open store: %v", err)
	}
	defer store.Close() // flushes samples pushed since start-up

	mux := http.NewServeMux()
	mux.Handle("/metrics/", store.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})

	log.Printf("metrics-gateway: listening on %s", *addr)
	err = http.ListenAndServe(*addr, mux) // HAZ signal-skips-defer
	log.Printf("metrics-gateway: %v", err)
}
