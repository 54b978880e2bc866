// Command backup exports a kv store and a WAL directory into a dated
// archive, and optionally serves the export directory until interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/storage/export"
	"example.com/storage/kv"
	"example.com/storage/snapshot"
)

func main() {
	os.Exit(run()) // ok: run's defers have completed when it returns
}

func run() int {
	kvPath := flag.String("kv", "kv.db", "kv data file")
	out := flag.String("out", "backups", "output directory")
	serve := flag.String("serve", "", "serve the output directory on this address after the backup")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		return 1
	}
	lock, err := snapshot.AcquireLock(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		return 1
	}
	defer func() {
		if err := lock.Release(); err != nil {
			log.Printf("backup: %v", err)
		}
	}()

	store, err := kv.Open(*kvPath, kv.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		return 1
	}
	defer store.Close()

	name := filepath.Join(*out, "kv-"+time.Now().UTC().Format("20060102T150405Z")+".snap")
	if err := store.WriteSnapshotAtomic(name); err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		return 1
	}
	if err := export.WriteTar(name+".tar.gz", *out, []string{filepath.Base(name)}); err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		return 1
	}
	log.Printf("backup: wrote %s", name)

	if *serve == "" {
		return 0
	}
	return serveDir(ctx, *serve, *out)
}

// serveDir serves dir until ctx is cancelled by SIGINT/SIGTERM, then shuts
// the server down with a deadline.
func serveDir(ctx context.Context, addr, dir string) int {
	srv := &http.Server{Addr: addr, Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("backup: serve: %v", err)
			return 1
		}
		return 0
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("backup: shutdown: %v", err)
		return 1
	}
	return 0
}
