// Command cachesrv serves the blob store over HTTP.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"example.com/modernapis/internal/fsstore"
	"example.com/modernapis/internal/httpapi"
	"example.com/modernapis/internal/lazy"
)

type config struct {
	addr     string
	dir      string
	upstream string
	debug    bool
}

var idleTimeout = lazy.Duration("CACHESRV_IDLE_TIMEOUT", 2*time.Minute)

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("cachesrv", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.dir, "dir", "./data", "store directory")
	fs.StringVar(&c.upstream, "upstream", "http://localhost:9090", "upstream base URL")
	fs.BoolVar(&c.debug, "debug", false, "debug logging")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.dir == "" {
		return c, fmt.Errorf("-dir must not be empty")
	}
	return c, nil
}

func newLogger(debug bool) *slog.Logger {
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	log := newLogger(cfg.debug)
	store, err := fsstore.Open(cfg.dir)
	if err != nil {
		log.Error("open store", "err", err)
		os.Exit(1)
	}
	defer store.Close()

	api := httpapi.New(store, cfg.upstream, log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go api.Run(ctx, func(c httpapi.Change) { log.Info("change", "key", c.Key, "size", c.Size) })

	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           api.Routes(),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       idleTimeout(),
	}
	log.Info("listening", "addr", cfg.addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Error("serve", "err", err)
	}
}
