// Command fahd serves the record store over HTTP until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah12/internal/api"
	"example.com/fah12/internal/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fahd:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("listen", ":8080", "listen address")
	dir := flag.String("data", "./data", "data directory")
	auditURL := flag.String("audit", "http://localhost:9090/events", "audit collector")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	st, err := store.Open(*dir, log)
	if err != nil {
		return err
	}
	defer st.Close()

	srv := api.NewServer(st, api.NewAuditClient(*auditURL), log)
	go srv.DrainAudit(ctx)
	hs := &http.Server{Addr: *addr, Handler: srv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	defer shutdown(ctx, hs, log)

	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("listening", "addr", *addr)
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("signal received, shutting down")
	}
	return nil
}

// shutdown is deferred; its wait is bounded by its own timeout, detached from
// the already-cancelled signal context.
func shutdown(ctx context.Context, hs *http.Server, log *slog.Logger) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
	}
}
