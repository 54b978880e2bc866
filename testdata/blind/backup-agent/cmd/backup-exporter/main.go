// Command backup-exporter publishes the statistics of the last backup run in
// the Prometheus text format, on a unix socket scraped by the node agent.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type lastRun struct {
	Files     int   `json:"files"`
	Chunks    int   `json:"chunks"`
	NewChunks int   `json:"new_chunks"`
	Bytes     int64 `json:"bytes"`
	NewBytes  int64 `json:"new_bytes"`
	Errors    int   `json:"errors"`
}

func loadLastRun(path string) (lastRun, time.Time, error) {
	var lr lastRun
	st, err := os.Stat(path)
	if err != nil {
		return lr, time.Time{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return lr, time.Time{}, err
	}
	if err := json.Unmarshal(data, &lr); err != nil {
		return lr, time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	return lr, st.ModTime(), nil
}

func metricsHandler(statsPath string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lr, at, err := loadLastRun(statsPath)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "backupd_last_run_timestamp_seconds %d\n", at.Unix())
		fmt.Fprintf(w, "backupd_last_run_files %d\n", lr.Files)
		fmt.Fprintf(w, "backupd_last_run_bytes %d\n", lr.Bytes)
		fmt.Fprintf(w, "backupd_last_run_new_bytes %d\n", lr.NewBytes)
		fmt.Fprintf(w, "backupd_last_run_new_chunks %d\n", lr.NewChunks)
		fmt.Fprintf(w, "backupd_last_run_errors %d\n", lr.Errors)
	})
}

func main() {
	sock := flag.String("socket", "/run/backupd/metrics.sock", "unix socket to serve on")
	statsPath := flag.String("stats", "/var/lib/backupd/last-run.json", "statistics file written by backupd")
	flag.Parse()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*sock)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: metricsHandler(*statsPath), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("backup-exporter: %v", err)
	}
}
