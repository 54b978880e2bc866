// crtd is the container runtime daemon: it owns the container registry,
// the state directory and the control socket that crtctl talks to.
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
	"path/filepath"
	"syscall"
	"time"

	"example.com/crt/internal/cgroup"
	"example.com/crt/internal/control"
	"example.com/crt/internal/registry"
	"example.com/crt/internal/state"
	"example.com/crt/internal/supervisor"
)

type config struct {
	root       string
	socket     string
	debugSock  string
	health     string
	cgroupRoot string
	shimPath   string
	gcEvery    time.Duration
	gcMaxAge   time.Duration
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.root, "root", "/run/crt", "state directory")
	flag.StringVar(&cfg.socket, "socket", "/run/crt/crtd.sock", "control socket")
	flag.StringVar(&cfg.debugSock, "debug-socket", "", "optional debug dump socket")
	flag.StringVar(&cfg.health, "health", "127.0.0.1:9323", "health endpoint address")
	flag.StringVar(&cfg.cgroupRoot, "cgroup-root", "/sys/fs/cgroup/crt", "cgroup subtree")
	flag.StringVar(&cfg.shimPath, "shim", "/usr/libexec/crt/crt-shim", "path to crt-shim")
	flag.DurationVar(&cfg.gcEvery, "gc-interval", 10*time.Minute, "garbage collection interval")
	flag.DurationVar(&cfg.gcMaxAge, "gc-max-age", time.Hour, "age of stale state before it is collected")
	flag.Parse()
	return cfg
}

func main() {
	cfg := parseFlags()
	logger := log.New(os.Stderr, "crtd: ", log.LstdFlags|log.Lmicroseconds)

	if err := os.MkdirAll(cfg.root, 0o711); err != nil {
		logger.Fatalf("state directory: %v", err)
	}
	lock, err := state.AcquireLock(filepath.Join(cfg.root, "crtd.lock"))
	if err != nil {
		logger.Fatalf("is another crtd running? %v", err)
	}

	code := 0
	defer func() {
		if code != 0 {
			os.Exit(code)
		}
	}()
	defer lock.Release()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if err := run(ctx, cfg, logger); err != nil {
		logger.Printf("%v", err)
		code = 1
	}
}

// run builds the daemon and serves the control socket until ctx is done.
func run(ctx context.Context, cfg config, logger *log.Logger) error {
	store, err := state.NewStore(filepath.Join(cfg.root, "containers"))
	if err != nil {
		return err
	}
	cg, err := cgroup.NewManager(cfg.cgroupRoot, logger)
	if err != nil {
		return err
	}
	eventLog := filepath.Join(cfg.root, "events.log")
	events, err := state.OpenEventLog(eventLog, 64<<20)
	if err != nil {
		return err
	}
	defer func() {
		if err := events.Close(); err != nil {
			logger.Printf("close event log: %v", err)
		}
	}()

	d := &daemon{
		store:    store,
		reg:      registry.New(),
		cg:       cg,
		events:   events,
		sup:      supervisor.New(supervisor.Policy{MaxRestarts: 5, Window: time.Minute}, logger),
		log:      logger,
		shimPath: cfg.shimPath,
		eventLog: eventLog,
		cleanups: make(map[string]func()),
	}
	n, err := d.restore()
	if err != nil {
		return fmt.Errorf("restore state: %w", err)
	}
	logger.Printf("restored %d containers", n)

	srv, err := control.Listen(cfg.socket, logger)
	if err != nil {
		return err
	}
	defer srv.Close()
	registerHandlers(srv, d)

	if cfg.debugSock != "" {
		dl, err := net.Listen("unix", cfg.debugSock)
		if err != nil {
			return err
		}
		defer dl.Close()
		go control.ServeDebug(dl, dumpState(d), logger)
	}

	hs := &http.Server{Addr: cfg.health, Handler: healthMux(d), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("health endpoint: %v", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()

	go d.consumeLifecycle(ctx)
	go d.gcLoop(ctx, cfg.gcEvery, cfg.gcMaxAge)
	return srv.Serve(ctx)
}
