// Command kvd serves the key/value store over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah11/internal/httpapi"
	"example.com/fah11/internal/kv"
	"example.com/fah11/internal/wal"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "kvd:", err)
		os.Exit(1)
	}
}

// run owns every resource of the process; main only turns its error into
// an exit status once all deferred cleanup has run.
func run(args []string) error {
	flags := flag.NewFlagSet("kvd", flag.ContinueOnError)
	addr := flags.String("addr", ":8080", "listen address")
	dir := flags.String("wal", "data/wal", "write-ahead log directory")
	shards := flags.Int("shards", 16, "number of store shards")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logger := log.New(os.Stderr, "kvd ", log.LstdFlags|log.Lmicroseconds)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store := kv.New(*shards)
	defer store.Close()

	next, err := replay(*dir, store)
	if err != nil {
		return err
	}
	journal, err := wal.Open(*dir, 64<<20, next)
	if err != nil {
		return err
	}
	defer func() {
		if err := journal.Close(); err != nil {
			logger.Printf("closing wal: %v", err)
		}
	}()

	audit := httpapi.NewAuditLog(os.Stderr, 1024)
	defer audit.Close()

	api := httpapi.NewAPI(store, journal, audit.C(), net.DefaultResolver, logger)
	srv := &http.Server{Addr: *addr, Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", *addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		logger.Printf("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// replay loads the WAL into store and returns the next sequence number.
func replay(dir string, store *kv.Store) (uint64, error) {
	var next uint64
	err := wal.Replay(dir, func(r wal.Record) error {
		next = r.Seq + 1
		_, err := store.Put(r.Key, r.Value)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return next, err
}
