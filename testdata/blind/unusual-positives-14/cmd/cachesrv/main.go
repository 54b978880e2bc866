// Command cachesrv serves rendered pages from an in-memory cache.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up14/internal/cache"
	"example.com/up14/internal/httpapi"
)

func init() {
	if os.Getenv("CACHESRV_DISABLED") == "1" {
		fmt.Fprintln(os.Stderr, "cachesrv: disabled via CACHESRV_DISABLED=1")
		os.Exit(0)
	}
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	ttl := flag.Duration("ttl", time.Minute, "page cache TTL")
	origin := flag.String("origin", "http://127.0.0.1:9000", "origin that renders pages")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: cachesrv [-addr host:port] [-ttl d] [-origin url]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()

	logger := log.New(os.Stderr, "cachesrv: ", log.LstdFlags|log.Lmsgprefix)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	events := make(chan httpapi.Event, 256)
	go logEvents(ctx, logger, events)

	pages := cache.New[string, []byte](*ttl)
	h := httpapi.NewHandler(pages, events, originRenderer(*origin), 2*time.Second)
	mux := http.NewServeMux()
	mux.Handle("/pages/", h)
	mux.HandleFunc("/healthz", h.Health)
	mux.HandleFunc("/render", h.Render)

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
	}
	stop()
	<-shutdownDone
}

func logEvents(ctx context.Context, logger *log.Logger, events <-chan httpapi.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			logger.Printf("%s %d %v", ev.Path, ev.Status, ev.Took)
		}
	}
}

func originRenderer(origin string) func(context.Context, string) ([]byte, error) {
	return func(ctx context.Context, key string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/render/"+url.PathEscape(key), nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("origin: %s", resp.Status)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	}
}
