// Command schemasrv is a tiny schema registry for offline generator runs:
// it serves the cached schemas that "gentool" downloaded earlier.
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

	"example.com/fah24/internal/cache"
)

func main() {
	os.Exit(run())
}

func run() int {
	addr := flag.String("addr", "localhost:8089", "listen `address`")
	cachePath := flag.String("cache", ".gentool-cache.json", "schema cache `file`")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := cache.Load(*cachePath, 4096)
	if err != nil {
		log.Printf("load cache: %v", err)
		return 1
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newServer(store, *cachePath, log.Default()).routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	if err := serve(ctx, srv); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

// serve runs srv until ctx is cancelled (SIGINT/SIGTERM) and then shuts it
// down gracefully with a bounded timeout.
func serve(ctx context.Context, srv *http.Server) error {
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("schemasrv listening on %s", ln.Addr())
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}
