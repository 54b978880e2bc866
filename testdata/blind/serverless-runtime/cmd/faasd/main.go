// Command faasd is the function runtime daemon.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/faas/internal/bundle"
	"example.com/faas/internal/frontdoor"
	"example.com/faas/internal/logs"
	"example.com/faas/internal/metrics"
	"example.com/faas/internal/router"
	"example.com/faas/internal/sandbox"
)

type config struct {
	addr        string
	adminAddr   string
	dataDir     string
	registry    string
	routesFile  string
	quota       int
	maxIdle     int
	parallel    int
	grace       time.Duration
	flushEvery  time.Duration
	shimCommand string
}

// parseFlags reads the command line.
func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("faasd", flag.ContinueOnError)
	fs.StringVar(&c.addr, "listen", "127.0.0.1:8080", "public API address")
	fs.StringVar(&c.adminAddr, "admin", "127.0.0.1:8081", "admin API address")
	fs.StringVar(&c.dataDir, "data", "/var/lib/faas", "data directory")
	fs.StringVar(&c.registry, "registry", "http://127.0.0.1:5050", "bundle registry URL")
	fs.StringVar(&c.routesFile, "routes", "", "JSON file of routes to load at start")
	fs.IntVar(&c.quota, "quota", 4, "default per-function concurrency")
	fs.IntVar(&c.maxIdle, "max-idle", 2, "idle sandboxes kept per function")
	fs.IntVar(&c.parallel, "cold-parallel", 2, "concurrent cold starts")
	fs.DurationVar(&c.grace, "grace", 25*time.Second, "drain grace period on SIGTERM")
	fs.DurationVar(&c.flushEvery, "flush", 10*time.Second, "metrics flush interval")
	fs.StringVar(&c.shimCommand, "shim", "sandbox-shim", "sandbox shim binary")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.quota <= 0 || c.parallel <= 0 {
		return c, errors.New("faasd: -quota and -cold-parallel must be positive")
	}
	return c, nil
}

// loadRoutes reads the routes file.
func loadRoutes(path string) ([]router.Route, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var routes []router.Route
	if err := json.NewDecoder(f).Decode(&routes); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return routes, nil
}

type daemon struct {
	pool    *sandbox.Pool
	agg     *metrics.Aggregator
	capture *logs.Capture
	front   *frontdoor.Server
	router  *router.Router
}

// build wires the runtime together.
func build(c config) (*daemon, error) {
	cache, err := bundle.NewCache(filepath.Join(c.dataDir, "cache"), bundle.NewFetcher(c.registry, os.Getenv("FAAS_REGISTRY_TOKEN"), time.Minute))
	if err != nil {
		return nil, err
	}
	if _, err := cache.LoadIndex(); err != nil {
		log.Printf("faasd: cache index: %v", err)
	}
	ring := logs.NewRing(10000)
	capture := logs.NewCapture(ring, 0)
	agg := metrics.NewAggregator(&metrics.FileSink{Dir: filepath.Join(c.dataDir, "metrics")}, c.flushEvery)

	var rt *router.Router
	specs := func(fn string) (sandbox.Spec, error) {
		route, ok := rt.Lookup(fn)
		if !ok {
			return sandbox.Spec{}, fmt.Errorf("%w: %s", router.ErrNoRoute, fn)
		}
		dir, err := cache.Get(context.Background(), route.Bundle)
		if err != nil {
			return sandbox.Spec{}, err
		}
		m, err := bundle.LoadManifest(dir)
		if err != nil {
			return sandbox.Spec{}, err
		}
		return sandbox.Spec{Function: fn, Runtime: m.Runtime, BundleDir: dir, Command: append([]string{c.shimCommand}, m.Command...), MemoryMB: m.MemoryMB}, nil
	}
	logFor := func(id string) io.Writer { return capture.Writer(id, "stderr") }
	cold := sandbox.NewColdStarter(sandbox.StartFactory(logFor), specs, c.parallel)
	pool := sandbox.NewPool(cold, c.quota, c.maxIdle)
	rt = router.New(pool, agg, metrics.NewMeter(4096), 30*time.Second)

	routes, err := loadRoutes(c.routesFile)
	if err != nil {
		return nil, err
	}
	for _, r := range routes {
		if err := rt.Register(r); err != nil {
			return nil, err
		}
	}
	front := frontdoor.New(frontdoor.Config{Addr: c.addr, StagingDir: filepath.Join(c.dataDir, "staging")}, rt, pool, cache, agg, ring)
	return &daemon{pool: pool, agg: agg, capture: capture, front: front, router: rt}, nil
}

// serveAdmin runs the admin API until ctx is done.
func serveAdmin(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	d, err := build(cfg)
	if err != nil {
		log.Fatalf("faasd: %v", err)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Fatalf("faasd: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	defer d.pool.Close()

	srv := d.front.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go func() { _ = d.agg.Run(ctx) }()
	go func() {
		if err := serveAdmin(ctx, cfg.adminAddr, d.front.AdminHandler()); err != nil {
			log.Printf("faasd: admin: %v", err)
		}
	}()
	log.Printf("faasd: serving on %s", ln.Addr())

	select {
	case err := <-errc:
		log.Printf("faasd: serve: %v", err)
		return
	case <-ctx.Done():
	}
	log.Printf("faasd: SIGTERM, draining for up to %s", cfg.grace)
	drainer := frontdoor.NewDrainer(d.front, srv, d.pool, d.agg, cfg.grace)
	if err := drainer.Drain(context.Background()); err != nil {
		log.Printf("faasd: drain: %v", err)
	}
	d.capture.WaitTimeout(2 * time.Second)
}
