// Command tsdbd runs the time-series database server: the HTTP API and push
// endpoint and the line-protocol listener, with graceful shutdown on
// SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/tsdb"
	"example.com/tsdb/api"
	"example.com/tsdb/ingest"
	"example.com/tsdb/retention"
)

// appender adapts the DB to the ingesters.
type appender struct{ db *tsdb.DB }

func (a appender) Append(p ingest.Point) error {
	return a.db.Append(p.Labels, p.T, p.V)
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "tsdbd:", err)
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "tsdbd: ", log.LstdFlags|log.Lmsgprefix)

	// Exit only after every other deferred call has run; a panic exits 1.
	code := 1
	defer func() { os.Exit(code) }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, cfg, logger); err != nil {
		logger.Printf("fatal: %v", err)
		return
	}
	code = 0
}

func run(ctx context.Context, cfg config, logger *log.Logger) (err error) {
	db, err := tsdb.Open(cfg.dataDir, tsdb.Options{
		BlockRange:   cfg.blockRange.Milliseconds(),
		Retention:    retention.Policy{MaxAge: cfg.retention, MaxBytes: cfg.retentionBytes},
		QueryTimeout: cfg.queryTimeout,
		Logger:       logger,
	})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()

	ln, err := net.Listen("tcp", cfg.lineAddr)
	if err != nil {
		return err
	}
	lp := ingest.NewListener(appender{db}, logger)
	push := ingest.NewPushHandler(appender{db}, logger, cfg.replicas)

	mux := http.NewServeMux()
	api.New(db, logger, cfg.queryTimeout).Register(mux)
	mux.Handle("POST /api/v1/push", push)
	mux.HandleFunc("POST /write", push.HandleWrite)
	srv := &http.Server{Addr: cfg.httpAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	reportCtx, cancelReport := context.WithCancel(ctx)
	defer cancelReport()
	go push.ReportLoop(reportCtx, time.Minute)

	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	go func() { errc <- lp.Serve(ln) }()
	logger.Printf("listening on %s (http) and %s (line protocol)", cfg.httpAddr, cfg.lineAddr)

	var serveErr error
	select {
	case <-ctx.Done():
		logger.Print("shutting down")
	case serveErr = <-errc:
		logger.Printf("server stopped: %v", serveErr)
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("http shutdown: %v", err)
	}
	ln.Close()
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}
