// Package controller reconciles Cluster objects: it provisions their
// storage, writes their configuration, reports status and runs the cleanup
// finalizer on deletion.
package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"example.com/operator/api"
	"example.com/operator/finalizer"
	"example.com/operator/informer"
	"example.com/operator/internal/keymutex"
	"example.com/operator/internal/runtimeutil"
	"example.com/operator/metrics"
	"example.com/operator/workqueue"
)

// FinalizerName is the finalizer the operator puts on every Cluster.
const FinalizerName = "operator.example.com/cleanup"

// maxRetries is how often a failing key is retried before it is dropped
// until its next change.
const maxRetries = 15

// Options configures a Controller.
type Options struct {
	Workers          int
	ResyncEvery      time.Duration
	StorageRoot      string
	ArchiveDir       string
	ExclusiveStorage bool
	Logger           *log.Logger
}

// Controller reconciles Clusters.
type Controller struct {
	client   api.Client
	informer *informer.Informer
	cache    *informer.Cache
	queue    *workqueue.Queue
	locks    *keymutex.KeyMutex
	cleaner  *finalizer.Cleaner
	metrics  *metrics.Registry
	logger   *log.Logger
	http     *http.Client
	opts     Options

	statusMu     sync.Mutex
	lastStatus   map[string]api.ClusterStatus
	warnings     map[string]int
	leaveActions map[api.ClusterPhase]func(key string)

	hooksMu sync.RWMutex
	hooks   map[string]Hook
}

// New builds a controller and registers its event handlers on inf.
func New(client api.Client, inf *informer.Informer, reg *metrics.Registry, opts Options) *Controller {
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	c := &Controller{
		client:     client,
		informer:   inf,
		cache:      inf.Cache(),
		queue:      workqueue.New(workqueue.DefaultControllerRateLimiter()),
		locks:      keymutex.New(),
		cleaner:    finalizer.NewCleaner(opts.StorageRoot, opts.ArchiveDir, opts.Logger),
		metrics:    reg,
		logger:     opts.Logger,
		http:       &http.Client{Timeout: 10 * time.Second},
		opts:       opts,
		lastStatus: make(map[string]api.ClusterStatus),
		warnings:   make(map[string]int),
		hooks:      make(map[string]Hook),
	}
	c.leaveActions = map[api.ClusterPhase]func(string){
		api.PhaseProvisioning: func(key string) { c.metrics.Inc("provisioning_completed_total") },
		api.PhaseRunning:      func(key string) { c.logger.Printf("controller: %s left Running", key) },
	}
	inf.AddHandler(informer.HandlerFuncs{
		AddFunc:    c.onAdd,
		UpdateFunc: c.onUpdate,
		DeleteFunc: c.onDelete,
	})
	return c
}

func (c *Controller) onAdd(obj *api.Cluster) { c.queue.Add(obj.Meta.Key()) }

func (c *Controller) onUpdate(old, cur *api.Cluster) {
	if old.Meta.ResourceVersion == cur.Meta.ResourceVersion {
		return // periodic re-list without a change
	}
	c.queue.Add(cur.Meta.Key())
}

// onDelete forgets everything about a deleted object. It runs on the
// informer goroutine, so it must not panic into it; the storage garbage
// collection it triggers runs in the background with its own crash handler.
func (c *Controller) onDelete(obj *api.Cluster) {
	defer func() {
		if r := recover(); r != nil {
			c.logger.Printf("controller: delete handler for %s panicked: %v", obj.Meta.Key(), r)
		}
	}()
	key := obj.Meta.Key()
	c.statusMu.Lock()
	delete(c.lastStatus, key)
	delete(c.warnings, key)
	c.statusMu.Unlock()
	c.queue.Forget(key)
	go func() {
		defer runtimeutil.HandleCrash()
		if n, err := c.gcOrphans(); err != nil {
			c.logger.Printf("controller: storage gc: %v", err)
		} else if n > 0 {
			c.logger.Printf("controller: storage gc removed %d directories", n)
		}
	}()
}

// Run starts the workers and the resync loop and blocks until ctx is
// cancelled and every worker has returned.
func (c *Controller) Run(ctx context.Context) error {
	if !c.informer.WaitForSync(ctx) {
		return errors.New("controller: cache did not sync")
	}
	c.logger.Printf("controller: starting %d workers", c.opts.Workers)
	if c.opts.ResyncEvery > 0 {
		go c.resyncUntil(ctx, c.opts.ResyncEvery)
	}
	var wg sync.WaitGroup
	for w := range c.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runWorker(ctx, w)
		}()
	}
	<-ctx.Done()
	c.queue.ShutDown()
	wg.Wait()
	c.logger.Printf("controller: workers stopped")
	return nil
}

func (c *Controller) runWorker(ctx context.Context, id int) {
	for c.processNextItem(ctx) {
	}
	c.logger.Printf("controller: worker %d exiting", id)
}

// processNextItem reconciles one key and reports whether the worker should
// continue.
func (c *Controller) processNextItem(ctx context.Context) bool {
	key, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	defer c.queue.Done(key)
	err := c.safeReconcile(ctx, key)
	c.handleErr(key, err)
	return true
}

// handleErr retries failed keys with backoff and gives up after maxRetries.
func (c *Controller) handleErr(key string, err error) {
	if err == nil {
		c.queue.Forget(key)
		c.metrics.Inc("reconcile_success_total")
		return
	}
	c.metrics.Inc("reconcile_errors_total")
	if n := c.queue.NumRequeues(key); n < maxRetries {
		c.logger.Printf("controller: reconcile %s failed (attempt %d): %v", key, n+1, err)
		c.queue.AddRateLimited(key)
		return
	}
	c.logger.Printf("controller: dropping %s after %d attempts: %v", key, maxRetries, err)
	c.queue.Forget(key)
}

// safeReconcile turns a panic in reconcile into an error so that one bad
// object cannot crash the worker, then runs the post-reconcile hooks.
func (c *Controller) safeReconcile(ctx context.Context, key string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.metrics.Inc("reconcile_panics_total")
			err = fmt.Errorf("reconcile %s: panic: %v", key, r)
		}
	}()
	if err := c.reconcile(ctx, key); err != nil {
		return err
	}
	if obj, ok := c.cache.Get(key); ok && c.hasHooks() {
		go c.runHooks(context.WithoutCancel(ctx), obj.DeepCopy()) // HAZ goroutine-outside-recover
	}
	return nil
}

// Warmup loads the saved status snapshots before the workers start, so
// that unchanged statuses are not rewritten after a restart.
func (c *Controller) Warmup(shards int) {
	c.primeStatusParallel(max(shards, 1))
}

// Relocate moves obj's storage from a previous directory, renaming when
// possible and copying across filesystems.
func (c *Controller) Relocate(obj *api.Cluster, from string, crossDevice bool) error {
	defer c.locks.Lock(obj.Meta.Key())()
	if crossDevice {
		return c.copyStorage(obj, from)
	}
	return c.migrateStorage(obj, from)
}

// storageDir returns where obj keeps its data.
func (c *Controller) storageDir(obj *api.Cluster) string {
	if obj.Spec.StorageDir != "" {
		return filepath.Join(c.opts.StorageRoot, filepath.Clean("/"+obj.Spec.StorageDir))
	}
	return filepath.Join(c.opts.StorageRoot, obj.Meta.Namespace, obj.Meta.Name)
}
