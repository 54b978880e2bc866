// Command operator runs the Cluster controller with leader election, a
// health server and optional metrics push.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/operator/api"
	"example.com/operator/controller"
	"example.com/operator/health"
	"example.com/operator/informer"
	"example.com/operator/leader"
	"example.com/operator/metrics"
)

type config struct {
	identity    string
	healthAddr  string
	pushAddr    string
	storageRoot string
	archiveDir  string
	leaseDir    string
	workers     int
	resync      time.Duration
	seed        int
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run does the work of main and returns the exit code, so that every
// deferred cleanup has run before os.Exit.
func run(args []string) int {
	cfg, err := parseFlags(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	logger := log.New(os.Stderr, "operator ", log.LstdFlags|log.Lmsgprefix)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	client := api.NewFakeClient(seedObjects(cfg.seed)...)
	reg := metrics.NewRegistry()
	inf := informer.New(client, logger)
	ctrl := controller.New(client, inf, reg, controller.Options{
		Workers:     cfg.workers,
		ResyncEvery: cfg.resync,
		StorageRoot: cfg.storageRoot,
		ArchiveDir:  cfg.archiveDir,
		Logger:      logger,
	})

	checker := health.NewChecker(5 * time.Second)
	checker.Register("informer", func(context.Context) error {
		if !inf.HasSynced() {
			return errors.New("cache not synced")
		}
		return nil
	})
	hs := health.NewServer(checker, reg, logger)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := inf.Run(ctx); err != nil {
			logger.Printf("informer: %v", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := hs.Run(ctx, cfg.healthAddr); err != nil {
			logger.Printf("health server: %v", err)
			stop()
		}
	}()
	if cfg.pushAddr != "" {
		go func() {
			ticker := time.NewTicker(15 * time.Second)
			defer ticker.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-ticker.C:
					pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
					if err := reg.PushOnce(pctx, cfg.pushAddr); err != nil {
						logger.Printf("metrics push: %v", err)
					}
					cancel()
				}
			}
		}()
	}

	code := lead(ctx, cfg, ctrl, hs, logger)
	stop()
	wg.Wait()
	return code
}

// lead campaigns for leadership and runs the controller while leading.
func lead(ctx context.Context, cfg config, ctrl *controller.Controller, hs *health.Server, logger *log.Logger) int {
	el, err := leader.New(leader.Config{
		Name:          "cluster-operator",
		Identity:      cfg.identity,
		Store:         leader.NewFileStore(cfg.leaseDir),
		LeaseDuration: 15 * time.Second,
		RenewPeriod:   5 * time.Second,
		Logger:        logger,
		Callbacks: leader.Callbacks{
			OnStartedLeading: func(ctx context.Context) {
				hs.SetReady(true)
				ctrl.Warmup(4)
				if err := ctrl.Run(ctx); err != nil {
					logger.Printf("controller: %v", err)
				}
			},
			OnStoppedLeading: func() {
				hs.SetReady(false)
				ctrl.StepDown()
			},
			OnNewLeader: func(id string) { logger.Printf("leader is now %q", id) },
		},
	})
	if err != nil {
		logger.Printf("leader election: %v", err)
		return 1
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := el.Release(rctx); err != nil {
			logger.Printf("releasing lease: %v", err)
		}
	}()
	if err := el.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Printf("leader election: %v", err)
		return 1
	}
	return 0
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("operator", flag.ContinueOnError)
	host, _ := os.Hostname()
	fs.StringVar(&cfg.identity, "id", host, "identity used for leader election")
	fs.StringVar(&cfg.healthAddr, "health-addr", ":8081", "address of the health and metrics endpoints")
	fs.StringVar(&cfg.pushAddr, "push-addr", "", "optional metrics collector to push to")
	fs.StringVar(&cfg.storageRoot, "storage-root", "/var/lib/cluster-operator", "root of the clusters' storage")
	fs.StringVar(&cfg.archiveDir, "archive-dir", "", "where finalizers archive storage before deletion")
	fs.StringVar(&cfg.leaseDir, "lease-dir", "/var/run/cluster-operator", "shared directory holding the lease")
	fs.IntVar(&cfg.workers, "workers", 4, "number of reconcile workers")
	fs.DurationVar(&cfg.resync, "resync", 10*time.Minute, "full resync period")
	fs.IntVar(&cfg.seed, "seed", 3, "number of demo objects in the fake API server")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.identity == "" {
		return config{}, errors.New("operator: -id is required")
	}
	if cfg.workers < 1 {
		return config{}, fmt.Errorf("operator: -workers must be positive, got %d", cfg.workers)
	}
	return cfg, nil
}

func seedObjects(n int) []*api.Cluster {
	objs := make([]*api.Cluster, 0, n)
	for i := range n {
		objs = append(objs, &api.Cluster{
			Meta: api.ObjectMeta{Namespace: "demo", Name: fmt.Sprintf("db-%d", i), Labels: map[string]string{"tier": "db"}},
			Spec: api.ClusterSpec{Replicas: 3, Version: "16.2"},
		})
	}
	return objs
}
