// Command relayd is the relay daemon: it ships local log files into segment
// files and serves its state over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah16/internal/catalog"
	"example.com/fah16/internal/ingest"
	"example.com/fah16/internal/pool"
	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/server"
	"example.com/fah16/internal/state"
)

func main() {
	cfgPath := flag.String("config", "relay.conf", "configuration file")
	flag.Parse()

	cfg, used, err := catalog.Load(*cfgPath, "/etc/relay/relay.conf")
	if err != nil {
		log.Fatalf("relayd: %v", err)
	}
	log.Printf("relayd: configuration from %s", used)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store := state.NewStore()
	health := state.NewHealth(store)
	w, err := segment.NewWriter(cfg.StateDir, 64<<20)
	if err != nil {
		log.Printf("relayd: %v", err)
		return
	}
	defer func() {
		if err := w.Close(); err != nil {
			log.Printf("relayd: closing segments: %v", err)
		}
	}()

	workers := pool.New(cfg.Workers, nil)
	defer workers.Close()
	fl := pool.StartFlusher(5*time.Second, w.Flush)
	defer func() {
		if err := fl.Close(); err != nil {
			log.Printf("relayd: flushing: %v", err)
		}
	}()

	ing := ingest.New(store, w, log.Default())
	for _, src := range cfg.Sources {
		err := workers.Submit(ctx, func(context.Context) error {
			_, err := ing.IngestFile(src)
			return err
		})
		if err != nil {
			log.Printf("relayd: %s not scheduled: %v", src, err)
		}
	}

	srv := &http.Server{
		Addr:              cfg.Listen,
		Handler:           server.New(store, health, os.Getenv("RELAY_AUDIT_URL"), log.Default()),
		ReadHeaderTimeout: 5 * time.Second,
	}
	if err := serve(ctx, srv); err != nil {
		log.Printf("relayd: %v", err)
	}
}

// serve runs srv until ctx is cancelled, then shuts it down gracefully.
func serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
