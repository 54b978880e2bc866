// Command controllerd runs the app controller with leader election.
package main

import (
	"context"
	"encoding/json"
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

	"example.com/daemons/controller"
	"example.com/daemons/internal/crash"
)

type logReconciler struct{ log *log.Logger }

func (r logReconciler) Reconcile(ctx context.Context, key string) error {
	r.log.Printf("reconcile %s", key)
	return ctx.Err()
}

// pollSource re-reads a JSON file of objects on every tick and emits the
// differences. The returned channel is closed by its only sender.
func pollSource(ctx context.Context, path string, every time.Duration) <-chan controller.Event {
	out := make(chan controller.Event)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		seen := map[string]int64{}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			objs, err := readObjects(path)
			if err == nil {
				for _, ev := range diff(seen, objs) {
					select {
					case out <- ev:
					case <-ctx.Done():
						return
					}
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func readObjects(path string) ([]controller.Object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var objs []controller.Object
	return objs, json.Unmarshal(data, &objs)
}

func diff(seen map[string]int64, objs []controller.Object) []controller.Event {
	var evs []controller.Event
	present := map[string]bool{}
	for _, o := range objs {
		present[o.Key] = true
		v, ok := seen[o.Key]
		switch {
		case !ok:
			evs = append(evs, controller.Event{Type: controller.Added, Object: o})
		case v != o.Version:
			evs = append(evs, controller.Event{Type: controller.Updated, Object: o})
		default:
			continue
		}
		seen[o.Key] = o.Version
	}
	for k := range seen {
		if !present[k] {
			evs = append(evs, controller.Event{Type: controller.Deleted, Object: controller.Object{Key: k}})
			delete(seen, k)
		}
	}
	return evs
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "controllerd:", err)
		os.Exit(1) // ok: main itself registers no defers
	}
}

func run() error {
	host, _ := os.Hostname()
	var (
		metricsAddr = flag.String("metrics-addr", ":8080", "metrics listen address")
		leaseURL    = flag.String("lease-url", "http://127.0.0.1:7070", "coordination service")
		identity    = flag.String("id", host, "leader election identity")
		objects     = flag.String("objects", "/etc/app/objects.json", "desired objects")
		workers     = flag.Int("workers", 4, "reconcile workers")
	)
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "controllerd ", log.LstdFlags|log.Lmicroseconds)

	store := controller.NewStore("app")
	inf := controller.NewInformer(store, 10*time.Minute, logger)
	ctrl := controller.New(inf, logReconciler{logger}, controller.Options{
		Name:             "app",
		Workers:          *workers,
		ReconcileTimeout: 30 * time.Second,
		MaxRetries:       10,
		Logger:           logger,
	})

	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		ctrl.Metrics().WriteTo(w)
	})
	srv := &http.Server{Addr: *metricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	crash.Go(logger, "metrics server", func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("metrics server: %v", err)
			stop()
		}
	})
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil { // ok: bounded by sctx
			logger.Printf("metrics shutdown: %v", err)
		}
	}()

	lc := &controller.LeaseClient{Base: *leaseURL, Client: &http.Client{Timeout: 5 * time.Second}}
	el := controller.NewElector(controller.ElectorConfig{
		Name:          "app-controller",
		Identity:      *identity,
		LeaseDuration: 15 * time.Second,
		RenewDeadline: 10 * time.Second,
		RetryPeriod:   2 * time.Second,
		OnStartedLeading: func(lctx context.Context) {
			list := func(context.Context) ([]controller.Object, error) { return readObjects(*objects) }
			var wg sync.WaitGroup
			wg.Add(3)
			go func() {
				defer wg.Done()
				defer crash.LogAndRepanic(logger, "informer")
				if err := inf.Run(lctx, list, pollSource(lctx, *objects, 5*time.Second)); err != nil && !errors.Is(err, context.Canceled) {
					logger.Printf("informer: %v", err)
				}
			}()
			go func() {
				defer wg.Done()
				defer crash.LogAndRepanic(logger, "controller")
				ctrl.Run(lctx)
			}()
			go func() {
				defer wg.Done()
				ctrl.ResyncEvery(lctx, 30*time.Minute)
			}()
			wg.Wait()
		},
		OnStoppedLeading: func() { logger.Printf("stopped leading") },
	}, lc, logger)

	for ctx.Err() == nil {
		if err := el.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Printf("election: %v", err)
		}
	}
	return nil
}
