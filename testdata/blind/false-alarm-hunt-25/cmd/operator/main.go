// Command operator runs the Widget controller with leader election.
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
	"syscall"
	"time"

	"example.com/fah25/internal/cache"
	"example.com/fah25/internal/controller"
	"example.com/fah25/internal/keylock"
	"example.com/fah25/internal/leaderelection"
	"example.com/fah25/internal/metrics"
	"example.com/fah25/internal/record"
	"example.com/fah25/internal/status"
)

type options struct {
	sourceDir   string
	outputDir   string
	statusDir   string
	checkpoint  string
	metricsAddr string
	leaseURL    string
	identity    string
	workers     int
	resync      time.Duration
	poll        time.Duration
}

func main() {
	os.Exit(realMain())
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("operator", flag.ContinueOnError)
	fs.StringVar(&o.sourceDir, "source", "widgets", "directory of widget manifests to watch")
	fs.StringVar(&o.outputDir, "output", "rendered", "directory for rendered replicas")
	fs.StringVar(&o.statusDir, "status", "status", "directory for status files")
	fs.StringVar(&o.checkpoint, "checkpoint", "", "write a cache checkpoint here on exit")
	fs.StringVar(&o.metricsAddr, "metrics-addr", ":8080", "metrics and health listen address")
	fs.StringVar(&o.leaseURL, "lease-url", "http://127.0.0.1:8001", "base URL of the lease API")
	fs.StringVar(&o.identity, "identity", "", "leader election identity (default: hostname)")
	fs.IntVar(&o.workers, "workers", 4, "number of reconcile workers")
	fs.DurationVar(&o.resync, "resync", 5*time.Minute, "informer resync period")
	fs.DurationVar(&o.poll, "poll", 2*time.Second, "source directory poll interval")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.workers <= 0 {
		return o, fmt.Errorf("-workers must be positive, got %d", o.workers)
	}
	if o.identity == "" {
		host, err := os.Hostname()
		if err != nil {
			return o, fmt.Errorf("no -identity and no hostname: %w", err)
		}
		o.identity = host
	}
	return o, nil
}

func realMain() int {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "operator:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	statusWriter, err := status.NewWriter(opts.statusDir)
	if err != nil {
		log.Printf("operator: %v", err)
		return 1
	}
	rec := record.NewRecorder("widget-operator", 256, record.NewLogSink(os.Stderr))
	defer rec.Shutdown()
	reg := metrics.NewRegistry()

	inf := cache.NewSharedInformer(&dirListWatcher{dir: opts.sourceDir, interval: opts.poll}, opts.resync)
	ctrl, err := controller.New(controller.Config{
		Name:     "widgets",
		Informer: inf,
		Metrics:  reg,
		Reconciler: &controller.WidgetReconciler{
			Store:        inf.Store(),
			Status:       statusWriter,
			Recorder:     rec,
			Metrics:      reg,
			Locks:        keylock.New(),
			OutputDir:    opts.outputDir,
			ApplyTimeout: 30 * time.Second,
			Now:          time.Now,
		},
		RequeueEvery: 10 * time.Minute,
	})
	if err != nil {
		log.Printf("operator: %v", err)
		return 1
	}

	client := leaderelection.NewLeaseClient(opts.leaseURL, &http.Client{Timeout: 10 * time.Second})
	le, err := leaderelection.NewLeaderElector(leaderelection.Config{
		Name:            "widget-operator",
		Identity:        opts.identity,
		LeaseDuration:   15 * time.Second,
		RenewDeadline:   10 * time.Second,
		RetryPeriod:     2 * time.Second,
		ReleaseOnCancel: true,
		Callbacks: leaderelection.Callbacks{
			OnStartedLeading: func(ctx context.Context) { runController(ctx, ctrl, opts) },
			OnStoppedLeading: func() {
				log.Printf("operator: %s stopped leading", opts.identity)
				stop()
			},
		},
	}, client)
	if err != nil {
		log.Printf("operator: %v", err)
		return 1
	}

	srv := &http.Server{Addr: opts.metricsAddr, Handler: newMux(reg, le, ctrl), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("operator: metrics server: %v", err)
			stop()
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("operator: metrics server shutdown: %v", err)
		}
	}()

	le.Run(ctx)
	log.Printf("operator: shutting down")
	return 0
}

func runController(ctx context.Context, ctrl *controller.Controller, opts options) {
	if err := ctrl.Start(ctx); err != nil {
		log.Printf("operator: %v", err)
		return
	}
	if err := ctrl.StartAndWait(ctx); err != nil {
		log.Printf("operator: %v", err)
		return
	}
	if opts.checkpoint != "" {
		defer func() {
			if err := ctrl.Checkpoint(opts.checkpoint); err != nil {
				log.Printf("operator: checkpoint: %v", err)
			}
		}()
	}
	log.Printf("operator: warmed %d keys", ctrl.Warm(ctx, opts.workers))
	if err := ctrl.Run(ctx, opts.workers); err != nil {
		log.Printf("operator: %v", err)
	}
}
