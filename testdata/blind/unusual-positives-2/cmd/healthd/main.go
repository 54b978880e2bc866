// Command healthd polls upstreams and serves their status until SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/unusualpositives2/internal/fetch"
	"example.com/unusualpositives2/internal/stream"
)

type board struct {
	mu     sync.RWMutex
	status map[string]string
}

func (b *board) set(name, s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status[name] = s
}

func (b *board) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(b.status)
}

func main() {
	addr := flag.String("addr", ":9090", "listen address")
	upstream := flag.String("upstream", "http://localhost:8080", "upstream base URL")
	flag.Parse()
	logger := log.New(os.Stderr, "healthd ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	b := &board{status: make(map[string]string)}
	client := fetch.NewClient(*upstream)
	p := stream.NewPoller(10*time.Second, func(name string) error {
		var v map[string]any
		if err := client.GetJSON(ctx, "/status", &v); err != nil {
			b.set(name, "down")
			return err
		}
		b.set(name, "up")
		return nil
	}, logger, "upstream")
	go p.RunContext(ctx)

	srv := &http.Server{Addr: *addr, Handler: b, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
	}
}
