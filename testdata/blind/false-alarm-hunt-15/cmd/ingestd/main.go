// Command ingestd serves the order API.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/server"
	"example.com/fah15/internal/store"
	"example.com/fah15/internal/trace"
)

type noPricer struct{}

func (noPricer) Quote(context.Context, string) (int64, error) {
	return 0, errors.New("pricing disabled")
}

func main() {
	os.Exit(realMain())
}

func realMain() int {
	addr := flag.String("addr", ":8080", "listen address")
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "database DSN")
	flag.Parse()

	logger := logx.New(os.Stderr)
	defer logger.Sync() // flush on exit; nothing useful to do with the error

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := sql.Open("pgx", *dsn)
	if err != nil {
		logger.Error("open database", "err", err)
		return 1
	}
	defer db.Close()

	reg := metrics.NewRegistry()
	tracer := trace.NewTracer(4096, nil)
	st := store.New(db, tracer, reg, logger)
	srv := server.New(st, db, tracer, logger, reg, noPricer{})
	go srv.RunAudit(ctx)

	hs := &http.Server{Addr: *addr, Handler: srv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	logger.Info("listening", "addr", *addr)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve", "err", err)
			return 1
		}
	case <-ctx.Done():
		logger.Info("shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown", "err", err)
		return 1
	}
	srv.Close()
	return 0
}
