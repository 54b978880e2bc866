// Command edgehub runs the IoT edge hub: device readers, local buffer,
// uplink, command dispatch, watchdog and the local configuration UI.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/edgehub/internal/configui"
	"example.com/edgehub/internal/hub"
)

func main() {
	cfgPath := flag.String("config", "/etc/edgehub/hub.json", "hub configuration file")
	uiAddr := flag.String("ui", "127.0.0.1:8080", "listen address of the configuration UI")
	flag.Parse()

	cfg, err := hub.LoadConfig(*cfgPath)
	if err != nil {
		log.Fatalf("edgehub: %v", err)
	}
	h, err := hub.New(cfg)
	if err != nil {
		log.Fatalf("edgehub: %v", err)
	}
	defer func() {
		if err := h.Close(); err != nil {
			log.Printf("edgehub: close: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := configui.OpenStore(filepath.Join(cfg.DataDir, "ui.json"))
	if err != nil {
		log.Printf("edgehub: %v", err)
		return
	}
	ui := configui.NewServer(store, h.Registry(), h.Uplink(), filepath.Join(cfg.DataDir, "uploads"))
	ui.Exec = h.RunCommand
	srv := &http.Server{Addr: *uiAddr, Handler: ui.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("edgehub: ui: %v", err)
			stop()
		}
	}()
	go watchConfig(ctx, ui.Events())

	h.Start(ctx)
	log.Printf("edgehub: %s running with %d devices", cfg.HubID, len(cfg.Devices))
	<-ctx.Done()
	log.Printf("edgehub: shutting down")

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("edgehub: ui shutdown: %v", err)
	}
	h.Wait()
}

// watchConfig logs configuration changes made in the UI until ctx ends.
func watchConfig(ctx context.Context, events <-chan configui.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			log.Printf("edgehub: config %s changed: %v", ev.Kind, ev.Keys)
		}
	}
}
