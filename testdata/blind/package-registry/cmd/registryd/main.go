// Command registryd is the caching registry proxy: it serves GOPROXY-style
// paths from a local blob store, fills misses from upstream, and shuts down
// gracefully on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/cache"
	"example.com/registry/internal/httpapi"
	"example.com/registry/internal/index"
	"example.com/registry/internal/ratelimit"
	"example.com/registry/internal/upstream"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	var (
		addr      = flag.String("addr", ":8080", "listen address")
		root      = flag.String("root", "/var/lib/registry", "blob store root")
		origin    = flag.String("upstream", "https://proxy.golang.org", "origin registry")
		mirrors   = flag.String("mirrors", "", "comma-separated mirrors for hedged fetches")
		indexPath = flag.String("index", "/var/lib/registry/index.jsonl", "index file")
		ttl       = flag.Duration("ttl", 10*time.Minute, "freshness of mutable paths")
		peers     = flag.String("peers", "", "comma-separated peer caches to notify on invalidation")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "registryd ", log.LstdFlags|log.Lmsgprefix)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := blobstore.Open(*root)
	if err != nil {
		return err
	}
	idx, err := loadIndex(*indexPath)
	if err != nil {
		return err
	}
	defer func() {
		if err := idx.SaveTo(*indexPath); err != nil {
			logger.Printf("save index: %v", err)
		}
	}()

	up := upstream.New(*origin, splitList(*mirrors), 30*time.Second, logger)
	proxy := cache.New(up, store, cache.Options{TTL: *ttl, Peers: splitList(*peers), Stats: cache.NewStats(), Logger: logger})
	defer proxy.Close()

	host, _ := os.Hostname()
	gc := blobstore.NewCollector(store, time.Hour, 24*time.Hour, blobstore.NewFileLease(*root, host), logger)
	gc.Start()
	defer gc.Stop(10 * time.Second)

	limiter := ratelimit.NewLimiter(20, 100)
	api := httpapi.New(httpapi.Config{
		Store:        store,
		Index:        idx,
		Proxy:        proxy,
		Upstream:     up,
		GC:           gc,
		IndexPath:    *indexPath,
		UpstreamWait: 3 * time.Second,
		OnDrained:    func() { logger.Print("uploads drained") },
		Logger:       logger,
	})
	go api.HitLogger(ctx)
	go proxy.RefreshLoop(ctx, 5*time.Minute)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           limiter.Middleware(api.Routes()),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", *addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Print("shutting down")
	// A stuck shutdown must not keep the pod in Terminating forever.
	watchdog := time.AfterFunc(45*time.Second, func() {
		logger.Print("shutdown timed out")
		os.Exit(1)
	})
	defer watchdog.Stop()

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return api.Drain(shutdownCtx)
}

// loadIndex loads the persisted index, starting empty on first run.
func loadIndex(path string) (*index.Index, error) {
	x, err := index.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return index.New(), nil
	}
	return x, err
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
