// Command vcs-gcd runs the garbage collector in the background for a
// repository on a server, with a small status endpoint.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"example.com/vcscli/internal/gc"
	"example.com/vcscli/internal/repo"
)

func main() {
	root := flag.String("repo", ".", "repository to collect")
	interval := flag.Duration("interval", time.Hour, "time between collections")
	statusAddr := flag.String("status", "127.0.0.1:8419", "address of the status endpoint")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatalf("vcs-gcd: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pidPath := filepath.Join(r.Dir, "gcd.pid")
	if err := os.WriteFile(pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Printf("vcs-gcd: %v", err)
		return
	}
	defer os.Remove(pidPath)

	logger := log.New(os.Stderr, "vcs-gcd: ", log.LstdFlags)
	col := gc.New(r.Objects, r.Refs, r.PackDir(), gc.Options{
		Interval: *interval,
		Logger:   logger,
		OnDone:   func() { logger.Printf("collection finished") },
	})
	col.Start(ctx)
	col.StartWatcher()

	status := &http.Server{Addr: *statusAddr, Handler: statusHandler(col), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := status.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("status endpoint: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := status.Shutdown(sctx); err != nil {
			logger.Printf("status endpoint shutdown: %v", err)
		}
	}()

	go func() {
		<-ctx.Done()
		hard := make(chan os.Signal, 1)
		signal.Notify(hard, os.Interrupt, syscall.SIGTERM)
		<-hard
		logger.Printf("second signal, exiting without cleanup")
		os.Exit(130)
	}()

	<-ctx.Done()
	logger.Printf("shutting down")
	col.Stop()
}

func statusHandler(col *gc.Collector) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		st := col.LastStats()
		loose, err := col.LooseCount()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"last_run": st.At,
			"removed":  st.Removed,
			"loose":    loose,
		})
	})
}
