// Package manager wires the informer, controllers, status updater, probes
// and leader election into one process, like controller-runtime's Manager.
package manager

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/cache"
	"example.com/k8scontrollers/pkg/client"
	"example.com/k8scontrollers/pkg/controller"
	"example.com/k8scontrollers/pkg/health"
	"example.com/k8scontrollers/pkg/leaderelection"
	"example.com/k8scontrollers/pkg/metrics"
	"example.com/k8scontrollers/pkg/status"
)

// Options configures a Manager.
type Options struct {
	APIServer      string
	Token          string
	Namespace      string
	Workers        int
	ResyncPeriod   time.Duration
	ProbeAddr      string
	LeaderElection bool
	LeaseName      string
	Identity       string
	ShutdownGrace  time.Duration
}

// Runnable is a long-running component.
type Runnable interface {
	Start(ctx context.Context) error
}

// RunnableFunc adapts a function to Runnable.
type RunnableFunc func(ctx context.Context) error

// Start implements Runnable.
func (f RunnableFunc) Start(ctx context.Context) error { return f(ctx) }

var errAlreadyStarted = errors.New("manager: already started")

// Manager owns the shared cache and runs every component.
type Manager struct {
	opts     Options
	log      *log.Logger
	metrics  *metrics.Registry
	client   *client.Client
	store    *cache.Store
	informer *cache.Informer
	updater  *status.Updater
	checker  *health.Checker
	elector  *leaderelection.LeaderElector

	mu         sync.Mutex
	runnables  []Runnable
	leaderOnly []Runnable
	started    bool
}

// New builds a manager with the widget controller registered.
func New(opts Options, logger *log.Logger) (*Manager, error) {
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	c, err := client.New(opts.APIServer, opts.Token)
	if err != nil {
		return nil, err
	}
	reg := metrics.NewRegistry()
	store := cache.NewStore(cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	m := &Manager{
		opts:     opts,
		log:      logger,
		metrics:  reg,
		client:   c,
		store:    store,
		informer: cache.NewInformer(c.ListerWatcher(opts.Namespace), store, opts.ResyncPeriod, logger),
		checker:  health.NewChecker(2*time.Second, logger),
		updater:  status.NewUpdater(client.StatusWriter{C: c}, status.Options{Logger: logger, Metrics: reg}),
	}
	if err := m.checker.AddCheck("apiserver", health.PingCheck(http.DefaultClient, opts.APIServer+"/healthz")); err != nil {
		return nil, err
	}
	rec := controller.NewWidgetReconciler(c, store, controller.NewFinalizerRegistry(),
		controller.NewEventRecorder(controller.LogSink{Logger: logger}, 256), logger)
	ctrl := controller.New(rec, controller.Options{Name: "widget", Logger: logger, Metrics: reg, Timeout: time.Minute})
	m.informer.AddEventHandler(ctrl.EventHandler())

	m.runnables = append(m.runnables,
		RunnableFunc(m.informer.Run),
		RunnableFunc(func(ctx context.Context) error { m.updater.Run(ctx); return nil }),
		RunnableFunc(m.serveProbes),
	)
	m.leaderOnly = append(m.leaderOnly, RunnableFunc(func(ctx context.Context) error {
		if err := controller.PollUntil(ctx, 100*time.Millisecond, m.informer.HasSynced); err != nil {
			return err
		}
		return ctrl.Run(ctx, opts.Workers)
	}))
	if opts.LeaderElection {
		le, err := leaderelection.NewLeaderElector(leaderelection.Config{
			Name:          opts.LeaseName,
			Identity:      opts.Identity,
			LeaseDuration: 15 * time.Second,
			RenewDeadline: 10 * time.Second,
			RetryPeriod:   2 * time.Second,
			Callbacks: leaderelection.Callbacks{
				OnStartedLeading: func(context.Context) error { return nil },
			},
		}, leaderelection.NewHTTPLeaseClient(opts.APIServer, nil), logger)
		if err != nil {
			return nil, err
		}
		m.elector = le
	}
	return m, nil
}

// Add registers a runnable; needsLeader runnables only run while leading.
func (m *Manager) Add(r Runnable, needsLeader bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.started {
		return errAlreadyStarted
	}
	if needsLeader {
		m.leaderOnly = append(m.leaderOnly, r)
	} else {
		m.runnables = append(m.runnables, r)
	}
	return nil
}

// Start runs every component until ctx ends or one of them fails, then
// stops the others and waits for them.
func (m *Manager) Start(ctx context.Context) error {
	m.mu.Lock()
	if m.started {
		m.mu.Unlock()
		return errAlreadyStarted
	}
	m.started = true
	always := slices.Clone(m.runnables)
	leaderOnly := slices.Clone(m.leaderOnly)
	m.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(always)+1)
	var wg sync.WaitGroup
	m.startAll(ctx, &wg, errc, always)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := m.runAsLeader(ctx, leaderOnly); err != nil {
			errc <- err
		}
	}()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		m.log.Printf("manager: component failed: %v", err)
	}
	cancel()
	wg.Wait()
	return err
}

// startAll starts rs; each failure is reported once on errc, which must have
// room for len(rs) errors.
func (m *Manager) startAll(ctx context.Context, wg *sync.WaitGroup, errc chan<- error, rs []Runnable) {
	for _, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.runRunnable(ctx, r); err != nil {
				errc <- err
			}
		}()
	}
}

// runRunnable starts r, shielding the manager from its panics.
func (m *Manager) runRunnable(ctx context.Context, r Runnable) error {
	defer recover() // HAZ recover-ineffective
	return r.Start(ctx)
}

// runAsLeader waits for leadership, then runs rs until ctx ends.
func (m *Manager) runAsLeader(ctx context.Context, rs []Runnable) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if m.elector != nil {
		if err := m.elector.Acquire(ctx); err != nil {
			return err
		}
		release = func() {
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := m.elector.Release(rctx); err != nil {
				m.log.Printf("manager: release lease: %v", err)
			}
		}
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(rs))
	m.startAll(ctx, &wg, errc, rs)
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// serveProbes serves the health endpoints until ctx ends.
func (m *Manager) serveProbes(ctx context.Context) error {
	if m.opts.ProbeAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.opts.ProbeAddr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: m.probeMux(), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			m.log.Printf("manager: probe server shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func (m *Manager) probeMux() *http.ServeMux {
	mux := m.checker.ServeMux()
	mux.Handle("/metrics", m.metrics.Handler())
	return mux
}

// Store exposes the shared cache.
func (m *Manager) Store() *cache.Store {
	return m.store
}
