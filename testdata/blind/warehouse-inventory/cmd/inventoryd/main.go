// Command inventoryd serves the ops HTTP API on top of the stock store, the
// reservation manager and the write-ahead log.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/inventory/internal/httpapi"
	"example.com/inventory/internal/replenish"
	"example.com/inventory/internal/reserve"
	"example.com/inventory/internal/stock"
	"example.com/inventory/internal/wal"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	walPath := flag.String("wal", "/var/lib/inventory/stock.wal", "write-ahead log")
	supplier := flag.String("supplier", "http://supplier-gw.internal", "supplier gateway base URL")
	flag.Parse()

	if err := run(*addr, *walPath, *supplier); err != nil {
		log.Fatal(err)
	}
}

// run owns every resource of the daemon; main only turns its error into an
// exit status, so all of run's defers execute before the process exits.
func run(addr, walPath, supplier string) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store := stock.NewStore()
	if _, err := wal.Replay(walPath, func(r wal.Record) error {
		if r.Op != "receive" {
			return nil
		}
		return store.Ensure(r.Warehouse).Receive(stock.SKU(r.SKU), r.Qty)
	}); err != nil {
		return err
	}
	journal, err := wal.Open(walPath)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, journal.Close()) }()

	mgr := reserve.NewManager(store, 30*time.Minute, log.Default())
	mgr.Start()
	defer mgr.Close()

	api := httpapi.New(store, mgr, replenish.NewClient(supplier, 5*time.Second), log.Default())
	go api.RunAuditor(ctx, os.Stdout)

	srv := &http.Server{Addr: addr, Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("inventoryd listening on %s", addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
