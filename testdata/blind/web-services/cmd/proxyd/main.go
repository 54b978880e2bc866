// Command proxyd is the round-robin reverse proxy.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/websvc/internal/config"
	"example.com/websvc/internal/middleware"
	"example.com/websvc/internal/proxy"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	upstreams := flag.String("upstreams", "http://127.0.0.1:8080", "comma-separated upstream URLs")
	pidFile := flag.String("pidfile", "/tmp/proxyd.pid", "pid file")
	flag.Parse()

	logger := log.New(os.Stderr, "proxyd ", log.LstdFlags)
	pool, err := proxy.NewPool(logger, strings.Split(*upstreams, ","))
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	removePID, err := config.WritePID(*pidFile)
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	defer removePID()

	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for range t.C {
			pool.CheckParallel(2 * time.Second)
		}
	}()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           middleware.Chain(pool.Handler(), middleware.Recover(logger), middleware.Logging(logger)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("proxyd: %v", err)
	}
}
