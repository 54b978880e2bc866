// Command agent is a node-local sidecar: it accepts span batches over HTTP
// and appends them to a rotating local file that a shipper picks up.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah30/exporter/fileexporter"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:4318", "address to accept spans on")
	out := flag.String("out", "/var/lib/agent/spans.jsonl", "file to append spans to")
	flag.Parse()
	logger := log.New(os.Stderr, "agent: ", log.LstdFlags|log.Lmsgprefix)
	obs := obsreport.NewRecorder("agent", logger)

	exp := fileexporter.New(fileexporter.Config{Path: *out, RotateBytes: 64 << 20, MaxBackups: 5, Compress: true}, obs, logger)
	if err := exp.Start(context.Background(), nil); err != nil {
		logger.Fatalf("start file exporter: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := exp.Shutdown(ctx); err != nil {
			logger.Printf("flush %s: %v", *out, err)
		}
	}()

	mux := http.NewServeMux()
	mux.Handle("POST /v1/traces", ingestHandler(exp, obs))
	mux.Handle("GET /stats", statsHandler(obs))
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s, writing %s", *listen, *out)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// ingestHandler decodes one batch per request and appends it.
func ingestHandler(exp *fileexporter.Exporter, obs *obsreport.Recorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer r.Body.Close()
		var b pdata.Batch
		if err := json.NewDecoder(io.LimitReader(r.Body, 8<<20)).Decode(&b); err != nil {
			obs.Refused(1)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := exp.ConsumeTraces(r.Context(), b); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		obs.Accepted(b.Len())
		w.WriteHeader(http.StatusAccepted)
	})
}

// statsHandler reports the agent's counters.
func statsHandler(obs *obsreport.Recorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(obs.Snapshot()); err != nil {
			log.Printf("agent: stats: %v", err)
		}
	})
}
