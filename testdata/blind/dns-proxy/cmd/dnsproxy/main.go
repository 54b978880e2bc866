// Command dnsproxy is a caching, filtering DNS forwarder with UDP, TCP and
// DNS-over-HTTP listeners.
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

	"example.com/dnsproxy/internal/blocklist"
	"example.com/dnsproxy/internal/cache"
	"example.com/dnsproxy/internal/config"
	"example.com/dnsproxy/internal/doh"
	"example.com/dnsproxy/internal/metrics"
	"example.com/dnsproxy/internal/querylog"
	"example.com/dnsproxy/internal/server"
	"example.com/dnsproxy/internal/upstream"
)

func main() {
	cfgPath := flag.String("config", "/etc/dnsproxy/dnsproxy.conf", "configuration file")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	if err := run(cfg); err != nil {
		log.Fatal(err)
	}
}

// run owns every resource of the process; it returns (and so runs its
// deferred cleanups) on SIGINT/SIGTERM or when a listener fails.
func run(cfg config.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := metrics.NewRegistry()
	c := cache.New(cfg.CacheSize, cfg.CacheMinTTL, cfg.CacheMaxTTL)
	saveSnapshot := func() {}
	if cfg.CacheSnapshot != "" {
		if n, err := c.LoadSnapshot(cfg.CacheSnapshot); err == nil {
			log.Printf("cache: restored %d entries", n)
		}
		saveSnapshot = func() {
			if err := c.SaveSnapshot(cfg.CacheSnapshot); err != nil {
				log.Printf("cache: snapshot: %v", err)
			}
		}
	}
	defer func() { saveSnapshot() }()
	stopJanitor := c.StartJanitor(time.Minute, log.Printf)
	defer stopJanitor()

	pool := newPool(cfg)
	if err := pool.Warmup(ctx); err != nil {
		log.Printf("upstream: warmup: %v", err)
	}
	pool.Start()
	defer pool.Stop()

	bl := blocklist.New(cfg.BlockLists, cfg.BlockLock)
	if err := bl.Reload(); err != nil {
		return err
	}
	go bl.Watch(ctx, 30*time.Second)

	rot, err := querylog.NewRotator(cfg.QueryLogDir, "queries", cfg.QueryLogMaxBytes, cfg.QueryLogKeep)
	if err != nil {
		return err
	}
	ql := querylog.NewLogger(rot, 4096)
	defer func() {
		if err := ql.Close(); err != nil {
			log.Printf("querylog: %v", err)
		}
	}()

	srv := server.New(server.Config{
		UDPAddr:       cfg.UDPListen,
		TCPAddr:       cfg.TCPListen,
		QueryTimeout:  2 * cfg.UpstreamTimeout,
		StatsInterval: cfg.StatsInterval,
	}, c, pool, bl, ql, reg)
	if err := srv.Listen(); err != nil {
		return err
	}
	if err := startControl(ctx, srv, cfg.ControlListen); err != nil {
		return err
	}

	h := doh.NewHandler(func(ctx context.Context, q []byte) ([]byte, error) {
		return srv.Answer(ctx, q, "doh")
	}, reg, 2*cfg.UpstreamTimeout)
	h.Start(ctx)
	mux := http.NewServeMux()
	mux.Handle("/dns-query", h)
	mux.Handle("/resolve", h)
	httpSrv := &http.Server{Addr: cfg.DoHListen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		shCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := httpSrv.Shutdown(shCtx); err != nil {
			log.Printf("doh: shutdown: %v", err)
		}
	}()
	go func() {
		if err := httpSrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("doh: %v", err)
			stop()
		}
	}()
	metricsSrv := serveMetrics(cfg.MetricsListen, reg)
	defer metricsSrv.Close()

	log.Printf("dnsproxy: serving on udp %s, tcp %s, doh %s", cfg.UDPListen, cfg.TCPListen, cfg.DoHListen)
	return srv.Serve(ctx)
}

func newPool(cfg config.Config) *upstream.Pool {
	ups := make([]*upstream.Upstream, 0, len(cfg.Upstreams))
	for _, addr := range cfg.Upstreams {
		ups = append(ups, upstream.New(addr, cfg.UpstreamNet, cfg.UpstreamTimeout))
	}
	return upstream.NewPool(ups, cfg.HealthInterval, cfg.UpstreamTimeout)
}

// serveMetrics exposes the registry on its own listener. A metrics port
// that cannot be bound is a deployment error, so it stops the process.
func serveMetrics(addr string, reg *metrics.Registry) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("/metrics", reg.Handler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("metrics: %v", err)
		}
	}()
	return srv
}

// startControl serves the control socket until ctx is done.
func startControl(ctx context.Context, srv *server.Server, addr string) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	go func() {
		if err := srv.ServeControl(ln); err != nil {
			log.Printf("control: %v", err)
		}
	}()
	return nil
}
