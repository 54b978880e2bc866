// Command dnsd is the caching resolver and authoritative server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"example.com/dnsresolver/internal/cache"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/ratelimit"
	"example.com/dnsresolver/internal/resolver"
	"example.com/dnsresolver/internal/server"
	"example.com/dnsresolver/internal/upstream"
	"example.com/dnsresolver/internal/zone"
)

type config struct {
	Listen      string
	AdminAddr   string
	ZoneDir     string
	JournalDir  string
	PIDFile     string
	Upstreams   []string
	Secondaries []string
	TransferACL []netip.Prefix
	UpdateACL   []netip.Prefix
	CacheShards int
	RateLimit   float64
	Timeout     time.Duration
	Fanout      int
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dnsd:", err)
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "dnsd: ", log.LstdFlags|log.Lmicroseconds)
	if err := run(cfg, logger); err != nil {
		logger.Fatal(err)
	}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range splitList(s) {
		if !strings.Contains(f, "/") {
			addr, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("dnsd", flag.ContinueOnError)
	fs.StringVar(&cfg.Listen, "listen", ":53", "DNS listen address (UDP and TCP)")
	fs.StringVar(&cfg.AdminAddr, "admin", "unix:/run/dnsd/admin.sock", "admin API address (host:port or unix:PATH)")
	fs.StringVar(&cfg.ZoneDir, "zones", "/etc/dnsd/zones", "directory of *.zone master files")
	fs.StringVar(&cfg.JournalDir, "journals", "/var/lib/dnsd", "directory of zone journals")
	fs.StringVar(&cfg.PIDFile, "pidfile", "", "write the process ID to this file")
	ups := fs.String("upstreams", "9.9.9.9:53,1.1.1.1:53", "comma-separated upstream resolvers")
	secs := fs.String("secondaries", "", "comma-separated secondaries to NOTIFY")
	xfr := fs.String("allow-transfer", "127.0.0.1", "networks allowed to AXFR")
	upd := fs.String("allow-update", "127.0.0.1", "networks allowed to send dynamic updates")
	fs.IntVar(&cfg.CacheShards, "cache-shards", 64, "number of cache shards")
	fs.Float64Var(&cfg.RateLimit, "rate", 50, "responses per second per client network")
	fs.DurationVar(&cfg.Timeout, "timeout", 2*time.Second, "upstream timeout")
	fs.IntVar(&cfg.Fanout, "fanout", 2, "upstreams queried in parallel")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.Upstreams = splitList(*ups)
	cfg.Secondaries = splitList(*secs)
	var err error
	if cfg.TransferACL, err = parsePrefixes(*xfr); err != nil {
		return cfg, fmt.Errorf("-allow-transfer: %w", err)
	}
	if cfg.UpdateACL, err = parsePrefixes(*upd); err != nil {
		return cfg, fmt.Errorf("-allow-update: %w", err)
	}
	if len(cfg.Upstreams) == 0 {
		return cfg, errors.New("at least one upstream is required")
	}
	return cfg, nil
}

// writePIDFile writes the PID file and returns a func that removes it.
func writePIDFile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

func run(cfg config, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	removePID, err := writePIDFile(cfg.PIDFile)
	if err != nil {
		return err
	}
	defer removePID()

	reg := metrics.NewRegistry()
	zones := zone.NewStore(cfg.ZoneDir, logger)
	if err := zones.Reload(); err != nil {
		return fmt.Errorf("load zones: %w", err)
	}
	c := cache.New(cache.Config{Shards: cfg.CacheShards, MinTTL: 5 * time.Second})
	reg.RegisterGauge("cache_entries", func() int64 { return int64(c.Len()) })
	var ups []*upstream.Upstream
	for _, addr := range cfg.Upstreams {
		ups = append(ups, upstream.New(addr, cfg.Timeout))
	}
	limiter := ratelimit.New(cfg.RateLimit, 2*cfg.RateLimit)
	limiter.Exempt(netip.MustParsePrefix("127.0.0.0/8"))
	res := resolver.New(resolver.Config{
		Cache: c, Zones: zones, Upstreams: ups, Metrics: reg,
		Timeout: cfg.Timeout, Fanout: cfg.Fanout, Log: logger,
	})
	notifier := server.NewNotifier(cfg.Secondaries, 2*time.Second, logger)
	go notifier.Run()
	checker := upstream.NewChecker(ups, 15*time.Second, cfg.Timeout, logger)
	go checker.Run(ctx)
	go limiter.RunSweeper(ctx, time.Minute, 10*time.Minute)
	go watchSIGHUP(ctx, zones, c, logger)

	h := server.NewQueryHandler(server.HandlerConfig{
		Resolver: res, Limiter: limiter, Cache: c, Zones: zones, Notifier: notifier,
		UpdateACL: cfg.UpdateACL, JournalDir: cfg.JournalDir, Metrics: reg, Log: logger,
	})
	srv := server.New(server.Config{
		Addr: cfg.Listen, Handler: h, Zones: zones, TransferACL: cfg.TransferACL,
		Metrics: reg, Log: logger,
	})
	admin := server.NewAdmin(server.AdminConfig{
		Cache: c, Zones: zones, Resolver: res, Limiter: limiter, Checker: checker,
		Notifier: notifier, Handler: h, Metrics: reg, Log: logger,
	})
	adminErr := make(chan error, 1)
	go func() { adminErr <- serveAdmin(ctx, cfg.AdminAddr, admin.Routes()) }()

	logger.Printf("serving DNS on %s, admin on %s", cfg.Listen, cfg.AdminAddr)
	serveErr := srv.ListenAndServe(ctx)
	stop()
	shutdownErr := shutdown(srv, c, logger)
	return errors.Join(serveErr, <-adminErr, shutdownErr)
}

// shutdown drains the DNS server and stops the cache's evictors.
func shutdown(srv *server.Server, c *cache.Cache, logger *log.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	logger.Printf("shutting down")
	err := srv.Shutdown(ctx)
	c.Close()
	return err
}

// serveAdmin serves the admin API on addr until ctx is done.
func serveAdmin(ctx context.Context, addr string, h http.Handler) error {
	network, address := "tcp", addr
	var cleanup func()
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		network, address = "unix", path
		os.Remove(path) // stale socket of a crashed instance
		cleanup = func() { os.Remove(path) }
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		return err
	}
	defer cleanup() // HAZ defer-nil-func
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// watchSIGHUP reloads the zones and flushes the cache on SIGHUP.
func watchSIGHUP(ctx context.Context, zones *zone.Store, c *cache.Cache, logger *log.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := zones.Reload(); err != nil {
				logger.Printf("SIGHUP: reload zones: %v", err)
				continue
			}
			logger.Printf("SIGHUP: zones reloaded, %d cache entries flushed", c.Flush())
		}
	}
}
