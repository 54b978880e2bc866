// Command kvd runs a single key-value node.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah13/internal/httpx"
	"example.com/fah13/internal/kv"
	"example.com/fah13/internal/lock"
	"example.com/fah13/internal/trace"
	"example.com/fah13/internal/wal"
)

func main() {
	os.Exit(run())
}

// run holds all of kvd's deferred cleanup, so that main's os.Exit only
// happens after every defer here has run.
func run() int {
	var (
		addr      = flag.String("listen", ":2379", "client listen address")
		debugAddr = flag.String("debug-listen", "127.0.0.1:6060", "debug listen address (empty to disable)")
		dir       = flag.String("data-dir", "data", "WAL directory")
		auditPath = flag.String("audit-log", "", "audit log file (default stderr)")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "kvd: ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		logger.Print(err)
		return 1
	}
	lk, err := lock.Acquire(filepath.Join(*dir, "LOCK"))
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer lk.Release()

	store, err := openStore(*dir, logger)
	if err != nil {
		logger.Printf("replay: %v", err)
		return 1
	}

	var audit io.Writer = os.Stderr
	if *auditPath != "" {
		f, err := os.OpenFile(*auditPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			logger.Print(err)
			return 1
		}
		defer func() {
			if err := f.Close(); err != nil {
				logger.Printf("closing audit log: %v", err)
			}
		}()
		audit = f
	}

	srv := httpx.NewServer(store, trace.NewRecorder(4096), logger, 1024)
	drainCtx, cancelDrain := context.WithCancel(context.Background())
	defer cancelDrain()
	go func() {
		if err := srv.DrainAudit(drainCtx, audit); err != nil && !errors.Is(err, context.Canceled) {
			logger.Printf("audit: %v", err)
		}
	}()

	if *debugAddr != "" {
		go func() {
			if err := serveDebug(ctx, *debugAddr, http.DefaultServeMux, logger); err != nil {
				logger.Printf("debug server: %v", err)
			}
		}()
	}

	hs := &http.Server{Addr: *addr, Handler: srv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	logger.Printf("serving on %s", *addr)

	select {
	case err := <-errc:
		logger.Printf("serve: %v", err)
		return 1
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		logger.Printf("shutdown: %v", err)
		return 1
	}
	return 0
}

// openStore rebuilds the store from the WAL in dir.
func openStore(dir string, logger *log.Logger) (*kv.Store, error) {
	store := kv.NewStore()
	n, err := wal.ReplayDir(dir, func(r wal.Record) error {
		if r.Delete {
			store.Delete(r.Key)
		} else {
			store.Put(r.Key, r.Value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	logger.Printf("replayed %d records", n)
	return store, nil
}

// serveDebug serves h on addr until ctx is done. Shutdown in the deferred
// function is bounded by its own timeout.
func serveDebug(ctx context.Context, addr string, h http.Handler, logger *log.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("debug server shutdown: %v", err)
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}
