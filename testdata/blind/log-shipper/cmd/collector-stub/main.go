// Command collector-stub is a minimal collector for local development and
// integration tests: it accepts chunks on /ingest and appends the
// decompressed NDJSON lines to a file.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", ":8088", "listen address")
	out := flag.String("out", "received.ndjson", "file that receives the lines")
	flag.Parse()

	s, err := newSink(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		// Flush buffered lines to disk.
		if err := s.Close(); err != nil {
			log.Printf("collector-stub: closing %s: %v", *out, err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/ingest", s.handleIngest)
	mux.HandleFunc("/agents/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/stats", s.handleStats)
	mux.HandleFunc("/flush", s.handleFlush)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("collector-stub listening on %s, writing %s", *addr, *out)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Print(err)
	}
}
