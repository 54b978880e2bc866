// Command agent exposes local metrics over HTTP and keeps a local event log.
package main

import (
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/falsealarm2/middleware"
	"example.com/falsealarm2/telemetry"
	"example.com/falsealarm2/wal"
)

func main() {
	addr := flag.String("addr", ":9100", "listen address")
	dir := flag.String("wal", "agent-wal", "event log directory")
	flag.Parse()

	logger := log.New(os.Stderr, "agent: ", log.LstdFlags)
	events, err := wal.Open(*dir, 8<<20)
	if err != nil {
		logger.Fatalf("open wal: %v", err) // ok: nothing deferred yet
	}
	defer events.Close() // flushes buffered records

	reg := telemetry.NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if err := reg.WriteText(w); err != nil {
			logger.Printf("metrics: %v", err)
		}
	})
	mux.HandleFunc("POST /event", func(w http.ResponseWriter, r *http.Request) {
		if err := events.Append([]byte(r.URL.RawQuery)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           middleware.Chain(mux, middleware.Recover(logger), middleware.Metrics(reg)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
