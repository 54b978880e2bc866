// Command cache-node is one member of the distributed cache. Signal handling
// lives in shutdownContext so that every daemon of the team wires it the same
// way.
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

	"example.com/blindd/internal/svc"
)

// shutdownContext returns a context cancelled on SIGINT or SIGTERM.
func shutdownContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func main() {
	addr := flag.String("addr", ":11311", "listen address")
	dataDir := flag.String("data", "/var/lib/cache-node", "warm-start snapshot")
	flag.Parse()

	cache, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("cache-node: %v", err) // ok: nothing deferred yet
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("cache-node: %v", err) // ok: nothing deferred yet
	}
	defer cache.Close() // writes the warm-start snapshot

	ctx, stop := shutdownContext()
	defer stop()

	srv := &http.Server{Handler: cache.Handler(), ReadHeaderTimeout: 5 * time.Second}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("cache-node: shutdown: %v", err)
		}
	}()
	log.Printf("cache-node: serving on %s", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM shuts the server down and Serve returns
		log.Printf("cache-node: %v", err)
	}
	stop()    // cancels ctx if Serve failed on its own
	<-drained // wait for in-flight requests before the store is flushed
}
