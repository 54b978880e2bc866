// Command ingest-gateway accepts events over HTTP and forwards them to the
// broker.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

type counters struct {
	accepted atomic.Int64
	rejected atomic.Int64
}

// flush reports the final counters; the platform scrapes them from the log.
func (c *counters) flush(log *slog.Logger) {
	log.Info("final counters", "accepted", c.accepted.Load(), "rejected", c.rejected.Load())
}

func ingest(c *counters) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20)); err != nil {
			c.rejected.Add(1)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.accepted.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var c counters
	defer c.flush(log)

	mux := http.NewServeMux()
	mux.Handle("/v1/events", ingest(&c))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn("shutdown", "err", err)
		}
	}()

	log.Info("listening", "addr", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM/SIGINT cancel ctx and shut the server down
		log.Error("serve", "err", err)
	}
}
