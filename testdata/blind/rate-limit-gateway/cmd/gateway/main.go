// Command gateway runs the rate-limiting API gateway: the proxy on -addr and
// the admin API on -admin.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/ratelimitgw/internal/admin"
	"example.com/ratelimitgw/internal/config"
	"example.com/ratelimitgw/internal/limiter"
	"example.com/ratelimitgw/internal/proxy"
	"example.com/ratelimitgw/internal/quota"
	"example.com/ratelimitgw/internal/usage"
)

func main() {
	var (
		addr      = flag.String("addr", ":8080", "proxy listen address")
		adminAddr = flag.String("admin", "127.0.0.1:9090", "admin API listen address")
		routes    = flag.String("routes", "routes.json", "route table file")
		dataDir   = flag.String("data", "/var/lib/ratelimitgw", "quota data directory")
		collector = flag.String("collector", "", "comma-separated usage collector URLs")
		poll      = flag.Duration("poll", 10*time.Second, "route file poll interval (0 disables polling)")
	)
	flag.Parse()

	store := quota.NewStore(*dataDir, nil)
	if err := store.Load(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("load quotas: %v", err)
	}

	exitCode := 0
	defer func() {
		if exitCode != 0 {
			os.Exit(exitCode)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := limiter.NewRegistry(limiter.Policy{Burst: 50, PerSecond: 10}, nil)
	table := proxy.NewTable(reg)
	watcher := config.NewWatcher(*routes, *poll, "")
	watcher.Subscribe(table)
	if err := watcher.Reload(); err != nil {
		log.Printf("load routes: %v", err)
		exitCode = 1
		return
	}
	go func() {
		if err := watcher.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("route watcher: %v", err)
		}
	}()

	shipper := usage.NewShipper(buildSinks(*collector), 500, 5*time.Second)
	shipper.Start(ctx)

	snap := quota.NewSnapshotter(store, 30*time.Second, nil)
	go snap.Run(ctx)

	gw := proxy.NewGateway(table, store, shipper, "X-Tenant")
	handler := proxy.Chain(gw, proxy.Recoverer, proxy.AccessLog(log.Default()), proxy.MaxBody(10<<20))
	srv := &http.Server{Addr: *addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	api := admin.New(admin.Options{
		Registry:   reg,
		Store:      store,
		Watcher:    watcher,
		OnMutation: func() { log.Printf("admin change applied") },
	})
	ln, err := net.Listen("tcp", *adminAddr)
	if err != nil {
		log.Printf("admin listen: %v", err)
		exitCode = 1
		return
	}
	go func() {
		if err := api.Serve(ctx, ln); err != nil {
			log.Printf("admin: %v", err)
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("gateway listening on %s, admin on %s", *addr, ln.Addr())

	select {
	case <-ctx.Done():
		log.Printf("signal received, shutting down")
	case err := <-errc:
		log.Printf("proxy server: %v", err)
		exitCode = 1
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("proxy shutdown: %v", err)
	}
	stop()
	shipper.Close()
	<-snap.Done()
	if err := store.Save(); err != nil {
		log.Printf("final quota save: %v", err)
		exitCode = 1
	}
}
