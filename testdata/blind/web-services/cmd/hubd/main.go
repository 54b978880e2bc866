// Command hubd runs the broadcast hub on a TCP port.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"example.com/websvc/internal/hub"
)

func main() {
	addr := flag.String("addr", ":9000", "listen address")
	flag.Parse()

	logger := log.New(os.Stderr, "hubd ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err) // ok: nothing deferred yet
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer ln.Close()

	h := hub.New(logger)
	h.StrictLeave = true
	go h.Run(ctx)
	go func() {
		<-ctx.Done()
		ln.Close()
	}()

	logger.Printf("hub listening on %s", ln.Addr())
	if err := h.Serve(ln); err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, hub.ErrStopped) {
		logger.Fatalf("serve: %v", err) // HAZ exit-skips-defer
	}
	h.Drain([]byte("server shutting down\n"))
}
