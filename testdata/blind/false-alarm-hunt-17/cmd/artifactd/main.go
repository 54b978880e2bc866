// Command artifactd serves the artifact store over HTTP.
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
	"strings"
	"syscall"
	"time"

	"example.com/fah17/internal/index"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/server"
	"example.com/fah17/internal/store"
)

type config struct {
	addr            string
	root            string
	indexDir        string
	logLevel        string
	peers           []string
	shutdownTimeout time.Duration
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "artifactd:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("artifactd", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.addr, "addr", ":8080", "listen address")
	fs.StringVar(&cfg.root, "root", "/var/lib/artifacts", "store root directory")
	fs.StringVar(&cfg.indexDir, "index", "/var/lib/artifacts/index", "directory of index files")
	fs.StringVar(&cfg.logLevel, "log", "info", "log level")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 15*time.Second, "grace period for in-flight requests")
	peers := fs.String("peers", "", "comma-separated base URLs of the other replicas")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if *peers != "" {
		cfg.peers = strings.Split(*peers, ",")
	}
	return cfg, nil
}

func run(args []string) (err error) {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	logger := obs.NewLogger(os.Stderr, cfg.logLevel)
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(cfg.root, store.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()

	ix := index.New(logger, nil)
	if err := ix.LoadDir(cfg.indexDir); err != nil {
		return err
	}
	srv := server.New(st, ix, logger, cfg.peers)
	hs := &http.Server{Addr: cfg.addr, Handler: srv.Routes(), ReadHeaderTimeout: 10 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	logger.Info("listening", "addr", cfg.addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		logger.Info("shutting down", "cause", context.Cause(ctx))
	}

	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	return srv.Drain(sctx)
}
