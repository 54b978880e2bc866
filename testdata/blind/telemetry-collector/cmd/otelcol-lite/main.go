// Command otelcol-lite is a single-process collector for sidecars: it
// accepts JSON batches on one port, batches them and writes them to a
// rotating file. Health and debug pages share the same port.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/exporter/fileexp"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
	"example.com/otelcol/internal/processor/batch"
)

func main() {
	addr := flag.String("addr", ":4318", "listen address")
	out := flag.String("out", "/var/lib/otelcol-lite/data.jsonl", "output file")
	maxBytes := flag.Int64("max-bytes", 32<<20, "rotate after this many bytes")
	flag.Parse()

	logger := log.New(os.Stderr, "otelcol-lite ", log.LstdFlags|log.Lmsgprefix)
	exp := fileexp.New(fileexp.Config{Path: *out, MaxBytes: *maxBytes, Compress: true}, logger)
	host := component.NewFatalHost()
	if err := exp.Start(context.Background(), host); err != nil {
		fmt.Fprintln(os.Stderr, "start exporter:", err)
		os.Exit(1)
	}
	bp := batch.New(batch.Config{SendBatchSize: 256, Timeout: time.Second}, exp, obs.Default, os.Stderr, logger)
	if err := bp.Start(context.Background(), host); err != nil {
		fmt.Fprintln(os.Stderr, "start batch:", err)
		os.Exit(1)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := bp.Shutdown(ctx); err != nil {
			logger.Printf("batch shutdown: %v", err)
		}
		if err := exp.Shutdown(ctx); err != nil {
			logger.Printf("exporter shutdown: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/metrics", ingest(bp))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "ok, %d records buffered\n", bp.Len())
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// ingest decodes a batch and hands it to the batch processor.
func ingest(next component.Consumer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer r.Body.Close()
		b, err := pdata.DecodeJSON(r.Body, 4<<20)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := next.Consume(r.Context(), b); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}
