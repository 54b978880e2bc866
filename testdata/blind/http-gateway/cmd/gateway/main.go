// Command gateway is the HTTP API gateway: reverse proxy, response cache,
// fan-out aggregation, server-sent events and long polling, with an admin API
// on a separate listener. It shuts down gracefully on SIGINT and SIGTERM.
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

	"example.com/gateway/internal/accesslog"
	"example.com/gateway/internal/admin"
	"example.com/gateway/internal/cache"
	"example.com/gateway/internal/config"
	"example.com/gateway/internal/fanout"
	"example.com/gateway/internal/longpoll"
	"example.com/gateway/internal/middleware"
	"example.com/gateway/internal/proxy"
	"example.com/gateway/internal/rewrite"
	"example.com/gateway/internal/sse"
	"example.com/gateway/internal/ws"
)

func main() {
	cfgPath := flag.String("config", "/etc/gateway/config.json", "configuration file")
	verbose := flag.Bool("v", false, "log cache removals")
	cursorPath := flag.String("cursors", "/var/lib/gateway/cursors.json", "long-poll cursor file")
	flag.Parse()

	logger := log.New(os.Stderr, "gateway ", log.LstdFlags|log.Lmicroseconds)
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		logger.Fatalf("load config: %v", err)
	}
	if err := run(cfg, *cfgPath, *cursorPath, *verbose, logger); err != nil {
		logger.Fatalf("gateway: %v", err)
	}
}

// components is everything run builds from the configuration.
type components struct {
	pool    *proxy.Pool
	health  *proxy.HealthChecker
	lru     *cache.LRU
	limiter *middleware.RateLimiter
	broker  *sse.Broker
	hub     *longpoll.Hub
	handler http.Handler
	admin   *admin.Admin
}

func build(cfg *config.Config, cfgPath string, store *sse.Store, verbose bool, logger, accessLogger *log.Logger) (*components, error) {
	backends := make([]*proxy.Backend, 0, len(cfg.Upstreams))
	for _, u := range cfg.Upstreams {
		b, err := proxy.NewBackend(u.Name, u.URL)
		if err != nil {
			return nil, err
		}
		backends = append(backends, b)
	}
	c := &components{
		pool:    proxy.NewPool(backends...),
		lru:     cache.NewLRU(cfg.CacheBytes),
		limiter: middleware.NewRateLimiter(cfg.RatePerSecond, cfg.Burst),
		broker:  sse.NewBroker(64, store, logger),
		hub:     longpoll.NewHub(cfg.PollTimeout.Duration, logger),
	}
	if verbose {
		c.lru.OnEvict = func(key string) { logger.Printf("cache: removed %s", key) }
	}
	c.health = proxy.NewHealthChecker(c.pool, "/healthz", 5*time.Second, logger)

	targets := make([]fanout.Target, 0, len(cfg.FanoutTargets))
	for _, t := range cfg.FanoutTargets {
		targets = append(targets, fanout.Target{Name: t.Name, URL: t.URL})
	}
	merger := fanout.New(&http.Client{Timeout: cfg.FanoutTimeout.Duration}, targets, cfg.FanoutTimeout.Duration, logger)
	px := proxy.New(c.pool, nil, proxy.Options{
		Retries:    cfg.Retries,
		Timeout:    cfg.UpstreamTimeout.Duration,
		HedgeDelay: 50 * time.Millisecond,
		Logger:     logger,
	})
	auth := middleware.NewAuthenticator("gateway", cfg.Tokens)

	mux := http.NewServeMux()
	mux.Handle("/api/", auth.Middleware(cache.NewHandler(px, c.lru, cfg.CacheTTL.Duration)))
	mux.HandleFunc("/read/", px.ServeHedged)
	mux.Handle("GET /aggregate", merger)
	mux.HandleFunc("GET /aggregate/first", merger.ServeFirst)
	mux.HandleFunc("GET /aggregate/primary", merger.ServePrimary)
	mux.HandleFunc("GET /search", merger.ServeSearch)
	mux.Handle("GET /events", c.broker)
	mux.HandleFunc("GET /poll/{topic}", c.hub.Poll)
	mux.HandleFunc("POST /poll/{topic}/ack", c.hub.Ack)
	mux.HandleFunc("GET /session/{topic}", c.hub.Session)
	mux.HandleFunc("HEAD /probe", px.Probe)
	streams := ws.NewHub(func(c *ws.Conn, p []byte) { _ = c.WriteFrame(p) }, logger)
	mux.Handle("GET /stream", streams)
	mux.HandleFunc("GET /stream/stats", streams.ServeStats)
	mux.HandleFunc("POST /rewrite/validate", rewrite.ServeValidate)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	c.handler = middleware.Chain(mux,
		middleware.RequestID,
		middleware.Logging(accessLogger),
		middleware.Recover(logger),
		c.limiter.Middleware(middleware.ClientIP),
	)
	c.admin = admin.New(admin.Deps{
		Config: cfg, ConfigPath: cfgPath, Pool: c.pool, Health: c.health,
		Cache: c.lru, Limiter: c.limiter, Broker: c.broker, Logger: logger,
	})
	return c, nil
}

// run serves until SIGINT/SIGTERM or a listener failure, then shuts down
// both servers within 20 seconds and waits for the background loops.
func run(cfg *config.Config, cfgPath, cursorPath string, verbose bool, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	accessLogger := log.New(os.Stdout, "access ", log.LstdFlags)
	if cfg.AccessLog != "" {
		access, err := accesslog.Open(cfg.AccessLog, 256<<20, logger)
		if err != nil {
			return err
		}
		defer func() {
			if err := access.Close(); err != nil {
				logger.Printf("close access log: %v", err)
			}
		}()
		accessLogger = log.New(access, "", log.LstdFlags)
	}
	store, err := sse.OpenStore(cfg.EventDir, 16<<20)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			logger.Printf("close event store: %v", err)
		}
	}()

	c, err := build(cfg, cfgPath, store, verbose, logger, accessLogger)
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); c.health.Run(ctx) }()
	go func() { defer wg.Done(); c.limiter.RunSweeper(ctx, time.Minute, 10*time.Minute) }()
	go func() { defer wg.Done(); c.hub.RunAckTracker(ctx, cursorSaver(cursorPath)) }()

	srv := &http.Server{
		Addr:              cfg.Listen,
		Handler:           c.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	adminSrv := &http.Server{Addr: cfg.AdminListen, Handler: c.admin.Routes(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 2)
	go func() { errc <- serve(srv) }()
	go func() { errc <- serve(adminSrv) }()
	logger.Printf("listening on %s (admin %s)", cfg.Listen, cfg.AdminListen)

	select {
	case <-ctx.Done():
		logger.Printf("signal received, shutting down")
	case err = <-errc:
		logger.Printf("listener failed: %v", err)
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c.broker.Close()
	shutdownErr := errors.Join(srv.Shutdown(shutdownCtx), adminSrv.Shutdown(shutdownCtx))
	stop()
	wg.Wait()
	return errors.Join(err, shutdownErr)
}

// serve runs srv until it is shut down; ErrServerClosed is not an error.
func serve(srv *http.Server) error {
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// cursorSaver returns the long-poll cursor persistence function.
func cursorSaver(path string) func(map[string]int64) error {
	return func(cursors map[string]int64) error {
		return writeJSONFile(path, cursors)
	}
}

// writeJSONFile writes v to path, reporting a failed close.
func writeJSONFile(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(v)
}
