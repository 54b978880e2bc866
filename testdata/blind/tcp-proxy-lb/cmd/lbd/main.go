// Command lbd is the load balancer daemon.
//
// Signals: SIGTERM/SIGINT drain and exit (a second one exits at once),
// SIGHUP reloads the TLS certificate.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"example.com/tcpproxylb/internal/accesslog"
	"example.com/tcpproxylb/internal/admin"
	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/config"
	"example.com/tcpproxylb/internal/httpproxy"
	"example.com/tcpproxylb/internal/metrics"
	"example.com/tcpproxylb/internal/proxy"
	"example.com/tcpproxylb/internal/sticky"
	"example.com/tcpproxylb/internal/tlsconf"
)

func main() {
	os.Exit(run())
}

// run owns every deferred cleanup; main only turns its result into the exit
// status, so nothing is skipped by os.Exit.
func run() int {
	cfgPath := flag.String("config", "/etc/lbd/lbd.json", "configuration file")
	checkOnly := flag.Bool("check", false, "validate the configuration and exit")
	flag.Parse()

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Printf("lbd: %v", err)
		return 2
	}
	if *checkOnly {
		fmt.Println("configuration ok")
		return 0
	}
	if cfg.PIDFile != "" {
		if err := writePID(cfg.PIDFile); err != nil {
			log.Printf("lbd: %v", err)
			return 1
		}
		defer os.Remove(cfg.PIDFile)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		again := make(chan os.Signal, 1)
		signal.Notify(again, syscall.SIGINT, syscall.SIGTERM)
		<-again
		log.Print("lbd: second signal, exiting without drain")
		os.Exit(130)
	}()

	reg := metrics.NewRegistry("lbd")
	var reloader *tlsconf.Reloader
	reloadReqs := make(chan tlsconf.ReloadRequest)
	if cfg.TLS != nil {
		reloader, err = tlsconf.NewReloader(cfg.TLS.CertFile, cfg.TLS.KeyFile, cfg.TLS.ClientCAs)
		if err != nil {
			log.Printf("lbd: %v", err)
			return 1
		}
		go reloader.WatchSIGHUP(ctx)
		go reloader.ServeReloadRequestsScoped(ctx, reloadReqs)
	}

	var alog *accesslog.Logger
	if cfg.AccessLog != "" {
		alog, err = accesslog.Open(cfg.AccessLog)
		if err != nil {
			log.Printf("lbd: %v", err)
			return 1
		}
		defer func() {
			if err := alog.Close(); err != nil {
				log.Printf("lbd: access log: %v", err)
			}
		}()
	}

	fes := make([]*frontend, 0, len(cfg.Frontends))
	adminFEs := make(map[string]admin.Frontend)
	for i := range cfg.Frontends {
		fe, err := buildFrontend(&cfg.Frontends[i], reg, reloader, alog)
		if err != nil {
			log.Printf("lbd: frontend %s: %v", cfg.Frontends[i].Name, err)
			closeAll(fes)
			return 1
		}
		fes = append(fes, fe)
		adminFEs[fe.name] = admin.Frontend{Pool: fe.pool, Checker: fe.checker, Sticky: fe.table}
	}
	if cfg.StickyState != "" {
		restoreSticky(fes, cfg.StickyState)
	}

	var wg sync.WaitGroup
	for _, fe := range fes {
		wg.Add(1)
		go func(fe *frontend) {
			defer wg.Done()
			fe.serve(ctx)
		}(fe)
	}

	adm := admin.New(adminFEs, reg, admin.Options{
		Token:      cfg.AdminToken,
		Peers:      cfg.Peers,
		StatePath:  cfg.StickyState,
		TLS:        reloader,
		ReloadReqs: reloadReqs,
	})
	go func() {
		if err := adm.ListenAndServe(ctx, cfg.Admin); err != nil {
			log.Printf("lbd: admin: %v", err)
		}
	}()

	log.Printf("lbd: serving %d frontends", len(fes))
	<-ctx.Done()
	log.Printf("lbd: draining for up to %v", cfg.DrainTimeout.Duration)
	drainAll(fes, cfg.DrainTimeout.Duration)
	wg.Wait()
	if cfg.StickyState != "" {
		saveSticky(fes, cfg.StickyState)
	}
	return 0
}

func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

type frontend struct {
	name       string
	mode       string
	agentCheck string
	ln         net.Listener
	pool       *backend.Pool
	checker    *backend.Checker
	table      *sticky.Table
	tcp        *proxy.Server
	http       *http.Server
}

func buildFrontend(fc *config.Frontend, reg *metrics.Registry, reloader *tlsconf.Reloader, alog *accesslog.Logger) (*frontend, error) {
	pool := backend.NewPool(fc.Name, fc.Weights())
	fe := &frontend{name: fc.Name, mode: fc.Mode, agentCheck: fc.Health.AgentCheck, pool: pool}
	fe.checker = backend.NewChecker(pool, backend.CheckKind(fc.Health.Kind), fc.Health.Path,
		fc.Health.Interval.Duration, fc.Health.Timeout.Duration, reg)
	if fc.Sticky || fc.Mode == "http" {
		fe.table = sticky.New(fc.StickyTTL.Duration)
	}
	ln, err := net.Listen("tcp", fc.Listen)
	if err != nil {
		return nil, err
	}
	fe.ln = ln

	if fc.Mode == "http" {
		fe.http = &http.Server{Handler: httpproxy.New(pool, fe.table, reg), ReadHeaderTimeout: 10 * time.Second}
		return fe, nil
	}
	pc := proxy.Config{
		Name:          fc.Name,
		ProxyProtocol: fc.ProxyProtocol,
		SendProxy:     fc.SendProxy,
		DialTimeout:   fc.DialTimeout.Duration,
		IdleTimeout:   fc.IdleTimeout.Duration,
		MaxConns:      fc.MaxConns,
		Sticky:        fe.table,
		AccessLog:     alog,
	}
	if reloader != nil {
		pc.TLS = reloader.TLSConfig()
	}
	if fc.Mirror != "" {
		pc.Mirror = proxy.NewMirror(fc.Mirror, time.Second, log.Printf)
	}
	fe.tcp = proxy.NewServer(pc, pool, reg)
	return fe, nil
}

// serve runs the frontend until its listener is closed.
func (fe *frontend) serve(ctx context.Context) {
	defer log.Printf("lbd: frontend %s stopped", fe.name)
	switch fe.agentCheck {
	case "legacy":
		for _, b := range fe.pool.All() {
			go fe.checker.Watch(b)
		}
	case "agent":
		fe.checker.StartWatchers(ctx)
	default:
		go fe.checker.Run(ctx)
	}
	if fe.table != nil {
		go fe.table.RunSweeper(ctx, time.Minute)
	}
	var err error
	if fe.http != nil {
		err = fe.http.Serve(fe.ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	} else {
		err = fe.tcp.Serve(fe.ln)
		if errors.Is(err, proxy.ErrServerClosed) {
			err = nil
		}
	}
	if err != nil {
		log.Printf("lbd: frontend %s: %v", fe.name, err)
	}
}

func (fe *frontend) shutdown(ctx context.Context) error {
	if fe.http != nil {
		return fe.http.Shutdown(ctx)
	}
	return fe.tcp.Shutdown(ctx)
}

// drainAll shuts every frontend down in parallel under one deadline.
func drainAll(fes []*frontend, grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var wg sync.WaitGroup
	for _, fe := range fes {
		wg.Add(1)
		go func(fe *frontend) {
			defer wg.Done()
			if err := fe.shutdown(ctx); err != nil {
				log.Printf("lbd: drain %s: %v", fe.name, err)
			}
		}(fe)
	}
	wg.Wait()
}

func closeAll(fes []*frontend) {
	for _, fe := range fes {
		fe.ln.Close()
	}
}

func restoreSticky(fes []*frontend, base string) {
	for _, fe := range fes {
		if fe.table == nil {
			continue
		}
		if err := fe.table.LoadFile(base + "." + fe.name); err != nil {
			log.Printf("lbd: sticky state for %s: %v", fe.name, err)
		}
	}
}

func saveSticky(fes []*frontend, base string) {
	for _, fe := range fes {
		if fe.table == nil {
			continue
		}
		if err := fe.table.SaveFile(base + "." + fe.name); err != nil {
			log.Printf("lbd: sticky state for %s: %v", fe.name, err)
		}
	}
}
