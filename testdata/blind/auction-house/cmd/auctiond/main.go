// Command auctiond runs the auction engine: the bidding port, the lot
// clocks and the operators' admin API.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/auction/internal/admin"
	"example.com/auction/internal/auction"
	"example.com/auction/internal/bidstream"
	"example.com/auction/internal/notify"
)

func main() {
	os.Exit(run())
}

// run starts everything and blocks until SIGINT/SIGTERM, then shuts down
// within ten seconds. Its deferred cleanup runs on every path because main
// only exits after it has returned.
func run() int {
	bidAddr := flag.String("bid-addr", ":7070", "bidding `address`")
	adminAddr := flag.String("admin-addr", "127.0.0.1:7071", "admin API `address`")
	debugAddr := flag.String("debug-addr", "", "plain-text stats `address` (off when empty)")
	seed := flag.String("lots", "lots.json", "lots of the trading day")
	results := flag.String("results", "results.jsonl", "where closed lots are recorded")
	window := flag.Duration("snipe-window", 30*time.Second, "anti-sniping extension")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := auction.NewRegistry()
	n, err := seedLots(reg, *seed)
	if err != nil {
		log.Printf("auctiond: seeding lots: %v", err)
		return 1
	}
	log.Printf("auctiond: %d lots open", n)

	hub := notify.NewHub()
	closed := make(chan auction.Result, 64)
	eng := newEngine(reg, hub, *window, *results, closed)
	auction.StartClocks(ctx, reg, closed)
	go auction.Sweep(ctx, reg, time.Second, closed)
	go eng.drainClosed(ctx, closed)

	ln, err := net.Listen("tcp", *bidAddr)
	if err != nil {
		log.Printf("auctiond: %v", err)
		return 1
	}
	bids := bidstream.NewServer(eng, 64, 10000)
	if *debugAddr != "" {
		dln, err := net.Listen("tcp", *debugAddr)
		if err != nil {
			log.Printf("auctiond: debug listener: %v", err)
			return 1
		}
		go serveDebug(dln, reg)
	}

	audit := admin.NewAuditor(os.Stderr)
	defer audit.Close()
	adminSrv := &http.Server{
		Addr:              *adminAddr,
		Handler:           admin.New(reg, hub, nil, audit, log.Default()).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}

	errc := make(chan error, 2) // one slot per server goroutine
	go func() { errc <- bids.Serve(ctx, ln) }()
	go func() { errc <- adminSrv.ListenAndServe() }()

	select {
	case <-ctx.Done():
		log.Printf("auctiond: shutting down")
	case err := <-errc:
		log.Printf("auctiond: server failed: %v", err)
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln.Close()
	if err := adminSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("auctiond: admin shutdown: %v", err)
	}
	if err := bids.Shutdown(shutdownCtx); err != nil {
		log.Printf("auctiond: bid server shutdown: %v", err)
		return 1
	}
	return 0
}
