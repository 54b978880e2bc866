// Package controller wires an informer, a rate-limited work queue and a reconciler together.
package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/cache"
	"example.com/fah25/internal/metrics"
	"example.com/fah25/internal/utilruntime"
	"example.com/fah25/internal/workqueue"
)

// Result tells the controller whether and when to look at a key again.
type Result struct {
	Requeue      bool
	RequeueAfter time.Duration
}

// Reconciler drives one object towards its desired state.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) (Result, error)
}

// Config holds what a Controller needs.
type Config struct {
	Name         string
	Informer     *cache.SharedInformer
	Reconciler   Reconciler
	Metrics      *metrics.Registry
	MaxRetries   int
	RequeueEvery time.Duration
	Logf         func(format string, args ...any)
}

// Controller processes keys from its queue with a pool of workers.
type Controller struct {
	name         string
	informer     *cache.SharedInformer
	store        *cache.ThreadSafeStore
	queue        *workqueue.RateLimitingQueue
	reconciler   Reconciler
	metrics      *metrics.Registry
	maxRetries   int
	requeueEvery time.Duration
	logf         func(format string, args ...any)
}

// New validates cfg and returns a controller with its own queue.
func New(cfg Config) (*Controller, error) {
	if cfg.Informer == nil || cfg.Reconciler == nil {
		return nil, errors.New("controller: informer and reconciler are required")
	}
	c := &Controller{
		name:         cfg.Name,
		informer:     cfg.Informer,
		store:        cfg.Informer.Store(),
		queue:        workqueue.NewRateLimitingQueue(workqueue.NewExponentialFailureRateLimiter(5*time.Millisecond, 5*time.Minute)),
		reconciler:   cfg.Reconciler,
		metrics:      cfg.Metrics,
		maxRetries:   cfg.MaxRetries,
		requeueEvery: cfg.RequeueEvery,
		logf:         cfg.Logf,
	}
	if c.metrics == nil {
		c.metrics = metrics.NewRegistry()
	}
	if c.logf == nil {
		c.logf = log.Printf
	}
	if c.maxRetries <= 0 {
		c.maxRetries = 15
	}
	return c, nil
}

func (c *Controller) enqueue(obj api.Object) {
	key, err := api.KeyFunc(obj)
	if err != nil {
		c.logf("controller %s: cannot enqueue: %v", c.name, err)
		return
	}
	c.queue.Add(key)
}

// Start registers the event handlers and the periodic requeue.
func (c *Controller) Start(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("controller %s: panic while starting: %v", c.name, r)
		}
	}()
	c.informer.AddEventHandler(cache.HandlerFuncs{
		AddFunc:    c.enqueue,
		UpdateFunc: func(_, obj api.Object) { c.enqueue(obj) },
		DeleteFunc: c.enqueue,
	})
	if c.requeueEvery > 0 {
		go c.periodicRequeue(ctx) // HAZ goroutine-outside-recover
	}
	return nil
}

// StartAndWait runs the informer and waits for its first sync; panics on either side become errors.
func (c *Controller) StartAndWait(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("controller %s: panic while syncing: %v", c.name, r)
		}
	}()
	runErr := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				runErr <- fmt.Errorf("informer panicked: %v", r)
			}
		}()
		runErr <- c.informer.Run(ctx)
	}()

	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for !c.informer.HasSynced() {
		select {
		case err := <-runErr:
			return fmt.Errorf("controller %s: informer stopped before sync: %v", c.name, err)
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
	return nil
}

func (c *Controller) periodicRequeue(ctx context.Context) {
	ticker := time.NewTicker(c.requeueEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			for _, obj := range c.store.List() {
				c.enqueue(obj)
			}
		}
	}
}

// Run starts workers and blocks until ctx ends and every worker has stopped.
func (c *Controller) Run(ctx context.Context, workers int) error {
	defer c.queue.ShutDown()
	if !cache.WaitForCacheSync(ctx, c.informer) {
		return fmt.Errorf("controller %s: timed out waiting for caches to sync", c.name)
	}
	c.logf("controller %s: starting %d workers", c.name, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer utilruntime.HandleCrash()
			c.runWorker(ctx, i)
		}()
	}
	<-ctx.Done()
	c.queue.ShutDown()
	wg.Wait()
	c.logf("controller %s: all workers stopped", c.name)
	return nil
}

func (c *Controller) runWorker(ctx context.Context, id int) {
	defer c.logf("controller %s: worker %d stopped", c.name, id)
	for c.processNextWorkItem(ctx) {
	}
}

func (c *Controller) processNextWorkItem(ctx context.Context) bool {
	key, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	defer c.queue.Done(key)
	res, err := c.syncHandler(ctx, key)
	c.handleErr(key, res, err)
	return true
}

func (c *Controller) handleErr(key string, res Result, err error) {
	switch {
	case err == nil && res.RequeueAfter > 0:
		c.queue.Forget(key)
		c.queue.AddAfter(key, res.RequeueAfter)
	case err == nil && res.Requeue:
		c.queue.AddRateLimited(key)
	case err == nil:
		c.queue.Forget(key)
	case c.queue.NumRequeues(key) < c.maxRetries:
		c.logf("controller %s: error syncing %q, retrying: %v", c.name, key, err)
		c.queue.AddRateLimited(key)
	default:
		c.logf("controller %s: dropping %q after %d retries: %v", c.name, key, c.maxRetries, err)
		c.queue.Forget(key)
	}
}

func (c *Controller) syncHandler(ctx context.Context, key string) (res Result, err error) {
	start := time.Now()
	defer c.metrics.ObserveSpan("sync_"+c.name, start, time.Now()) // HAZ defer-eager-evaluation
	defer utilruntime.RecoverToError(&err)
	if _, _, err := api.SplitKey(key); err != nil {
		c.logf("controller %s: invalid key %q: %v", c.name, key, err)
		return Result{}, nil
	}
	res, err = c.reconciler.Reconcile(ctx, key)
	if err != nil {
		c.metrics.ObserveError("sync_" + c.name)
	}
	return res, err
}

// ProcessBacklog drains what is queued right now with n workers; used by the one-shot mode.
func (c *Controller) ProcessBacklog(ctx context.Context, n int) int {
	var (
		wg        sync.WaitGroup
		processed atomic.Int64
	)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			for c.queue.Len() > 0 {
				key, shutdown := c.queue.Get()
				if shutdown {
					return
				}
				res, err := c.syncHandler(ctx, key)
				c.handleErr(key, res, err)
				c.queue.Done(key)
				processed.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(processed.Load())
}

// RunOnce reconciles one key synchronously, bounded by timeout; used by the CLI and by tests.
func (c *Controller) RunOnce(ctx context.Context, key string, timeout time.Duration) error {
	res, err := c.reconcileWithTimeout(ctx, key, timeout)
	if err != nil {
		return err
	}
	if res.Requeue || res.RequeueAfter > 0 {
		c.queue.AddAfter(key, res.RequeueAfter)
	}
	return nil
}

func (c *Controller) reconcileWithTimeout(ctx context.Context, key string, timeout time.Duration) (Result, error) {
	type outcome struct {
		res Result
		err error
	}
	ch := make(chan outcome)
	go func() {
		res, err := c.reconciler.Reconcile(ctx, key)
		ch <- outcome{res, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-ch:
		return o.res, o.err
	case <-time.After(timeout):
		return Result{Requeue: true}, fmt.Errorf("controller %s: no result for %q after %s", c.name, key, timeout)
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// RunWithCheckpoint runs the controller and writes a checkpoint of the cache when it stops.
func (c *Controller) RunWithCheckpoint(ctx context.Context, workers int, path string) error {
	defer c.store.Snapshot().SaveTo(path) // HAZ defer-call-chain
	return c.Run(ctx, workers)
}

// Checkpoint writes the current cache content to path.
func (c *Controller) Checkpoint(path string) error {
	return c.store.Snapshot().SaveTo(path)
}

// ResyncAll re-enqueues every cached object and records how long that took.
func (c *Controller) ResyncAll() int {
	defer func(start time.Time) {
		c.metrics.Observe("resync_all_"+c.name, time.Since(start))
	}(time.Now())
	keys := c.store.ListKeys()
	for _, k := range keys {
		c.queue.Add(k)
	}
	return len(keys)
}

// QueueLen reports the current queue depth.
func (c *Controller) QueueLen() int { return c.queue.Len() }
