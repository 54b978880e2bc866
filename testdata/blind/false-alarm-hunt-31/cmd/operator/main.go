// Command operator runs the App controller under leader election, with the
// webhook API and event recording.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/apps"
	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/controller"
	"example.com/fah31/internal/events"
	"example.com/fah31/internal/finalizer"
	"example.com/fah31/internal/leader"
	"example.com/fah31/internal/status"
	"example.com/fah31/internal/webhook"
)

type config struct {
	objectsDir string
	workDir    string
	statusDir  string
	leaseDir   string
	addr       string
	identity   string
	workers    int
	poll       time.Duration
	resync     time.Duration
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("operator", flag.ContinueOnError)
	fs.StringVar(&cfg.objectsDir, "objects", "objects", "directory of object manifests")
	fs.StringVar(&cfg.workDir, "workdir", "work", "root of the per-object working directories")
	fs.StringVar(&cfg.statusDir, "status", "status", "directory for status files")
	fs.StringVar(&cfg.leaseDir, "leases", "leases", "directory for lease files")
	fs.StringVar(&cfg.addr, "addr", ":8080", "webhook listen address")
	fs.StringVar(&cfg.identity, "id", "", "leader election identity (default: hostname)")
	fs.IntVar(&cfg.workers, "workers", 4, "reconcile workers")
	fs.DurationVar(&cfg.poll, "poll", 2*time.Second, "manifest poll interval")
	fs.DurationVar(&cfg.resync, "resync", 5*time.Minute, "informer resync period")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.identity == "" {
		host, err := os.Hostname()
		if err != nil {
			return config{}, fmt.Errorf("no -id and no hostname: %w", err)
		}
		cfg.identity = host
	}
	return cfg, nil
}

func byNamespace(obj *api.Object) []string { return []string{obj.Namespace} }

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		log.Fatalf("operator: %v", err)
	}
}

// run wires everything and blocks until SIGINT/SIGTERM. Every goroutine it
// starts is joined before it returns.
func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "operator ", log.LstdFlags|log.Lmsgprefix)
	store := cache.NewStore(map[string]cache.IndexFunc{"namespace": byNamespace})
	inf := cache.NewInformer(source(cfg), store, cfg.resync)

	b := events.NewBroadcaster(256)
	b.AddSink(events.LogSink{Logger: logger})
	b.Start(ctx)
	rec := events.NewRecorder(b, "app-controller")

	rc := apps.New(store, status.NewWriter(cfg.statusDir), finalizer.NewCleaner(cfg.workDir, false, logger), rec, logger)
	ctrl := controller.New(inf, rc, controller.Options{Name: "apps", Workers: cfg.workers, Logger: logger, Recorder: rec})

	elector, err := leader.NewElector(leader.Config{
		Client:        leader.NewFileLeaseStore(cfg.leaseDir),
		Name:          "app-controller",
		Identity:      cfg.identity,
		LeaseDuration: 15 * time.Second,
		RenewPeriod:   5 * time.Second,
		OnStarted: func(ctx context.Context) {
			if err := ctrl.Run(ctx); err != nil {
				logger.Printf("controller stopped: %v", err)
			}
		},
		OnStopped: func() { logger.Printf("no longer leading") },
	})
	if err != nil {
		stop()
		b.Wait()
		return err
	}

	notifications := make(chan webhook.Notification, 64)
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           webhook.NewServer(store, ctrl.Queue(), notifications, nil).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}

	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	wg.Add(2)
	go func() {
		defer wg.Done()
		webhook.Audit(ctx, notifications, func(n webhook.Notification) {
			logger.Printf("audit: %s triggered at %s", n.Key, n.At.Format(time.RFC3339))
		})
	}()
	go func() {
		defer wg.Done()
		serveErr <- webhook.Serve(ctx, srv)
	}()

	err = elector.Run(ctx)
	stop()
	wg.Wait()
	b.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return errors.Join(err, <-serveErr)
}
