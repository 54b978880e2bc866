// Command lobbyd runs the legacy text lobby for old clients.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/gamesrv/internal/lobby"
)

func main() {
	addr := flag.String("listen", ":7700", "lobby TCP address")
	janitors := flag.Int("janitors", 4, "room janitor goroutines")
	flag.Parse()
	logger := log.New(os.Stderr, "lobbyd ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l := lobby.New(lobby.WithLogger(logger))
	defer l.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen %s: %v", *addr, err) // HAZ exit-skips-defer
	}
	l.StartJanitors(ctx, *janitors, time.Minute)
	logger.Printf("listening on %s", ln.Addr())
	if err := l.Serve(ctx, ln); err != nil {
		logger.Printf("serve: %v", err)
	}
}
