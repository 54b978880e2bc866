// Command relayd runs the webhook relay.
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
	"syscall"
	"time"

	"example.com/fah14/internal/relay"
	"example.com/fah14/internal/store"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	cfgPath := flag.String("config", "relay.json", "store configuration file")
	subsPath := flag.String("subscribers", "subscribers.json", "subscriber list")
	flag.Parse()

	cfg, err := store.LoadConfig(*cfgPath)
	if err != nil {
		log.Fatalf("relayd: %v", err)
	}
	subs, err := loadSubscribers(*subsPath)
	if err != nil {
		log.Fatalf("relayd: %v", err)
	}
	st := store.New(store.WithCapacity(cfg.Capacity))
	if cfg.SnapshotPath != "" {
		if err := st.Restore(cfg.SnapshotPath); err != nil {
			log.Fatalf("relayd: %v", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer saveOnExit(st, cfg.SnapshotPath)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           relay.New(st, relay.WithSubscribers(subs...)).Handler(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ListenAndServe() }()
	log.Printf("relayd: listening on %s", *addr)

	select {
	case <-ctx.Done():
		log.Print("relayd: shutting down")
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("relayd: serve: %v", err)
		}
		return
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("relayd: shutdown: %v", err)
	}
}

func loadSubscribers(path string) ([]relay.Subscriber, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var subs []relay.Subscriber
	if err := json.Unmarshal(data, &subs); err != nil {
		return nil, err
	}
	return subs, nil
}

func saveOnExit(st *store.Store, path string) {
	if path == "" {
		return
	}
	if err := store.SaveSnapshot(path, st.Snapshot()); err != nil {
		log.Printf("relayd: saving snapshot: %v", err)
		return
	}
	log.Printf("relayd: saved %d events to %s", st.Len(), path)
}
