// Command up12d is the edge cache daemon.
package main

import (
	"log"
	"net"
	"net/http"
	"os"

	"example.com/up12/internal/cache"
	"example.com/up12/internal/registry"
	"example.com/up12/internal/server"
	"example.com/up12/internal/spool"
)

func main() {
	cfg := parseFlags()
	logger := log.New(os.Stderr, "up12d: ", log.LstdFlags)
	checkServicesReadable(cfg.services)
	if err := os.MkdirAll(cfg.spoolDir, 0o755); err != nil {
		logger.Fatalf("spool: %v", err)
	}
	checkSpoolWritable(cfg.spoolDir)
	sp, err := spool.Open(cfg.spoolDir, cfg.segBytes)
	if err != nil {
		logger.Fatalf("open spool: %v", err)
	}
	defer sp.Close()
	store := cache.New(cfg.items)
	reg := registry.New()
	if _, err := reg.LoadFile(cfg.services); err != nil {
		logger.Printf("services: %v (starting empty)", err)
	}
	srv := server.New(logger, store, reg, server.WithUpstream(cfg.upstream))
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return
	}
	go compactLoop(logger, sp, cfg.compactEvery)
	if err := http.Serve(ln, srv.Handler()); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
