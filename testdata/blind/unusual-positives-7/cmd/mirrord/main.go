// Command mirrord serves the mirror API and drains the spool until it is
// told to stop with SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up7/internal/api"
	"example.com/up7/internal/fetch"
	"example.com/up7/internal/spool"
)

func loadSources(path string) (map[string]fetch.Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list []fetch.Source
	if err := json.NewDecoder(f).Decode(&list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]fetch.Source, len(list))
	for _, s := range list {
		out[s.Name] = s
	}
	return out, nil
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	cfg := flag.String("sources", "sources.json", "JSON list of sources")
	flag.Parse()
	sources, err := loadSources(*cfg)
	if err != nil {
		log.Fatalf("mirrord: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "mirrord ", log.LstdFlags|log.Lmsgprefix)
	f := fetch.New(&http.Client{Timeout: 30 * time.Second}, logger)
	srv := &http.Server{
		Addr:              *addr,
		Handler:           api.New(f, sources, os.Getenv("UP7_NOTIFY_URL"), logger).Routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}

	sp := spool.New(spool.Dir(), logger)
	spoolDone := make(chan error, 1)
	go func() { spoolDone <- sp.RunUntilError(ctx) }()

	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		shCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(shCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
		stop()
	}
	<-shutdownDone
	if err := <-spoolDone; err != nil && !errors.Is(err, context.Canceled) {
		logger.Printf("spool: %v", err)
	}
}
