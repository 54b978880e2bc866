// Command up12agent is the lightweight edge agent: it serves the cache API
// and keeps index documents fresh.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up12/internal/cache"
	"example.com/up12/internal/fetch"
	"example.com/up12/internal/registry"
	"example.com/up12/internal/server"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run holds every defer of the program so that main's os.Exit never skips
// one.
func run(args []string) int {
	cfg, err := loadConfig(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "up12agent:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "up12agent: ", log.LstdFlags)
	f := fetch.New(nil, cfg.timeout, logger)
	srv := server.New(logger, cache.New(cfg.items), registry.New())
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, ln) }()
	t := time.NewTicker(cfg.refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := <-errc; err != nil {
				logger.Printf("serve: %v", err)
				return 1
			}
			return 0
		case err := <-errc:
			logger.Printf("serve: %v", err)
			return 1
		case <-t.C:
			if err := f.RefreshSafe(ctx, cfg.indexes); err != nil {
				logger.Printf("refresh: %v", err)
			}
		}
	}
}
