// Command metricsd serves process metrics and periodically pushes them.
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

	"example.com/falsealarm5/metrics"
)

func newRegistry(logger *log.Logger) *metrics.Registry {
	reg := metrics.NewRegistry(logger)
	reg.MustRegister(
		metrics.NewProcessCollector(os.Getpid(), "/proc"),
		metrics.NewGoCollector(5*time.Second),
	)
	return reg
}

// pushLoop pushes every interval until ctx ends. Each push gets its own
// timeout context, cancelled at the end of its iteration without defer.
func pushLoop(ctx context.Context, p *metrics.Pusher, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, every/2)
		if err := p.Push(pctx); err != nil {
			logger.Printf("push: %v", err)
		}
		cancel()
	}
}

// main blocks in ListenAndServe with deferred cleanup registered, but it
// handles SIGINT/SIGTERM: the signal cancels ctx, the watcher shuts the
// server down, ListenAndServe returns and the defers run.
func main() {
	addr := flag.String("listen", ":9100", "listen address")
	gateway := flag.String("push", "", "push gateway URL (empty disables pushing)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "metricsd ", log.LstdFlags)
	reg := newRegistry(logger)

	if *gateway != "" {
		p := metrics.NewPusher(reg, *gateway, "metricsd")
		go pushLoop(ctx, p, 15*time.Second, logger)
	}

	mux := http.NewServeMux()
	mux.Handle("/metrics", &metrics.Handler{Reg: reg, Logger: logger})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("listen: %v", err)
	}
	stop()
	<-done
}
