// Command agent sends heartbeats until it is told to stop. Signal handling
// lives in a helper in this package.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindg/internal/loops"
	"example.com/blindg/internal/web"
)

// shutdownContext is cancelled on SIGINT or SIGTERM.
func shutdownContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func main() {
	ctx, stop := shutdownContext()
	defer stop()
	logger := log.New(os.Stderr, "agent ", log.LstdFlags|log.Lmsgprefix)
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()

	endpoint := os.Getenv("AGENT_ENDPOINT")
	if endpoint == "" {
		endpoint = "http://127.0.0.1:8080/healthz"
	}
	p := &loops.Poller{
		Interval: 30 * time.Second,
		Logger:   logger,
		Tick: func(ctx context.Context) error {
			var status map[string]any
			return web.FetchJSON(ctx, client, endpoint, &status)
		},
	}
	if err := p.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Printf("poller: %v", err)
	}
}
