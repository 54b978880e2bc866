// Command manifest-server serves an archive directory's manifest read-only
// over HTTP for dashboards, reloading it once a minute.
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
	"sync/atomic"
	"syscall"
	"time"

	"example.com/backupsched/internal/archive"
)

func main() {
	path := flag.String("manifest", "/var/backups/MANIFEST", "manifest file")
	addr := flag.String("addr", "127.0.0.1:8086", "listen address")
	flag.Parse()

	var current atomic.Pointer[archive.Manifest]
	m, err := archive.LoadManifest(*path)
	if err != nil {
		log.Fatal(err)
	}
	current.Store(m)

	stop := make(chan struct{})
	defer close(stop)
	go reload(*path, &current, stop)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /manifest", serveManifest(&current))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("serve: %v", err)
	}
}

// reload re-reads the manifest every minute until stop is closed.
func reload(path string, current *atomic.Pointer[archive.Manifest], stop <-chan struct{}) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m, err := archive.LoadManifest(path)
			if err != nil {
				log.Printf("reload: %v", err)
				continue
			}
			current.Store(m)
		}
	}
}

func serveManifest(current *atomic.Pointer[archive.Manifest]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(current.Load().Entries())
	}
}
