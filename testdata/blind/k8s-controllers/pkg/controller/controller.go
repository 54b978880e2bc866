// Package controller runs reconcilers off a rate-limited work queue.
package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/api"
	"example.com/k8scontrollers/pkg/cache"
	"example.com/k8scontrollers/pkg/metrics"
	"example.com/k8scontrollers/pkg/workqueue"
)

// Result tells the controller whether and when to retry a key.
type Result struct {
	Requeue      bool
	RequeueAfter time.Duration
}

// Reconciler drives one object towards its desired state.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) (Result, error)
}

// ReconcilerFunc adapts a function to Reconciler.
type ReconcilerFunc func(ctx context.Context, key string) (Result, error)

// Reconcile implements Reconciler.
func (f ReconcilerFunc) Reconcile(ctx context.Context, key string) (Result, error) {
	return f(ctx, key)
}

// Options configures a Controller.
type Options struct {
	Name        string
	MaxRetries  int
	Timeout     time.Duration
	Logger      *log.Logger
	Metrics     *metrics.Registry
	RateLimiter workqueue.RateLimiter
}

// Controller feeds keys from its queue to a Reconciler.
type Controller struct {
	name       string
	queue      *workqueue.RateLimitingQueue
	reconciler Reconciler
	log        *log.Logger
	maxRetries int
	timeout    time.Duration
	metrics    *metrics.Registry
}

// New builds a controller; zero options get sensible defaults.
func New(r Reconciler, opts Options) *Controller {
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	if opts.RateLimiter == nil {
		opts.RateLimiter = workqueue.DefaultControllerRateLimiter()
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 15
	}
	return &Controller{
		name:       opts.Name,
		queue:      workqueue.NewRateLimitingQueue(opts.RateLimiter),
		reconciler: r,
		log:        opts.Logger,
		maxRetries: opts.MaxRetries,
		timeout:    opts.Timeout,
		metrics:    opts.Metrics,
	}
}

// Run starts workers and blocks until ctx is cancelled and every worker has
// finished its current item.
func (c *Controller) Run(ctx context.Context, workers int) error {
	if workers < 1 {
		return fmt.Errorf("controller %s: need at least one worker", c.name)
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.log.Printf("controller %s: worker %d started", c.name, i)
			for c.processNextItem(ctx) {
			}
		}()
	}
	<-ctx.Done()
	c.queue.ShutDown()
	wg.Wait()
	return nil
}

func (c *Controller) processNextItem(ctx context.Context) bool {
	key, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	defer c.queue.Done(key)
	start := time.Now()
	defer c.observe("reconcile", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	c.handleErr(key, c.reconcileHandler(ctx, key))
	return true
}

// reconcileHandler runs the reconciler for key under the per-item timeout.
func (c *Controller) reconcileHandler(ctx context.Context, key string) error {
	defer func() { logPanic(c.log, key) }()
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	res, err := c.reconciler.Reconcile(ctx, key)
	if err != nil {
		return err
	}
	switch {
	case res.RequeueAfter > 0:
		c.queue.Forget(key)
		c.queue.AddAfter(key, res.RequeueAfter)
	case res.Requeue:
		c.queue.AddRateLimited(key)
	default:
		c.queue.Forget(key)
	}
	return nil
}

// logPanic logs a reconciler panic so a single bad object cannot take the
// controller down.
func logPanic(l *log.Logger, key string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("controller: reconcile of %s panicked: %v", key, r)
	}
}

func (c *Controller) handleErr(key string, err error) {
	if err == nil {
		return
	}
	if c.queue.NumRequeues(key) < c.maxRetries {
		c.log.Printf("controller %s: retrying %s: %v", c.name, key, err)
		c.queue.AddRateLimited(key)
		return
	}
	c.queue.Forget(key)
	c.log.Printf("controller %s: dropping %s after %d retries: %v", c.name, key, c.maxRetries, err)
}

func (c *Controller) observe(op string, d time.Duration) {
	if c.metrics == nil {
		return
	}
	c.metrics.Histogram(c.name + "_" + op + "_seconds").Observe(d.Seconds())
}

// Enqueue adds the key of obj to the queue.
func (c *Controller) Enqueue(obj api.Object) {
	c.queue.Add(obj.GetMeta().Key())
}

// EventHandler returns informer handlers that enqueue changed objects.
func (c *Controller) EventHandler() cache.HandlerFuncs {
	return cache.HandlerFuncs{
		AddFunc: c.Enqueue,
		UpdateFunc: func(oldObj, newObj api.Object) {
			if oldObj.GetMeta().ResourceVersion == newObj.GetMeta().ResourceVersion {
				return
			}
			c.Enqueue(newObj)
		},
		DeleteFunc: c.Enqueue,
	}
}

// RunOnce reconciles keys concurrently, outside the queue, requeueing those
// that ask for it. It returns the joined errors.
func (c *Controller) RunOnce(ctx context.Context, keys []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	for _, key := range keys {
		wg.Add(1)
		go func() {
			res, err := c.reconciler.Reconcile(ctx, key)
			if err != nil {
				errs <- fmt.Errorf("%s: %w", key, err)
				return
			}
			if res.Requeue {
				c.queue.Add(key)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// ResyncShards enqueues keys from shards goroutines, each taking every
// shards-th key. It returns how many shards were started.
func (c *Controller) ResyncShards(ctx context.Context, keys []string, shards int) int {
	var wg sync.WaitGroup
	var shard int
	for shard = 0; shard < shards; shard++ {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for j, key := range keys {
				if j%shards == shard {
					c.queue.Add(key)
				}
			}
		}()
	}
	wg.Wait()
	return shard
}

// KeyResult is the outcome of reconciling one key.
type KeyResult struct {
	Key    string
	Result Result
	Err    error
}

// ReconcileWithTimeout reconciles keys concurrently and returns what
// finished within timeout.
func (c *Controller) ReconcileWithTimeout(ctx context.Context, keys []string, timeout time.Duration) []KeyResult {
	results := make(chan KeyResult, len(keys))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, key := range keys {
		go func() {
			res, err := c.reconciler.Reconcile(ctx, key)
			results <- KeyResult{Key: key, Result: res, Err: err}
		}()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	out := make([]KeyResult, 0, len(keys))
	for range keys {
		select {
		case r := <-results:
			out = append(out, r)
		case <-deadline.C:
			c.log.Printf("controller %s: %d of %d keys still running after %v", c.name, len(keys)-len(out), len(keys), timeout)
			return out
		}
	}
	return out
}

// ReconcileAll reconciles keys with at most limit in flight and waits for
// all of them.
func (c *Controller) ReconcileAll(ctx context.Context, keys []string, limit int) []KeyResult {
	out := make([]KeyResult, len(keys))
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i, key := range keys {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.reconciler.Reconcile(ctx, key)
			out[i] = KeyResult{Key: key, Result: res, Err: err}
			<-sem
		}()
	}
	wg.Wait()
	return out
}

// ReconcileOne reconciles key outside the queue, returning early when ctx
// ends; the reconciling goroutine never blocks on its result.
func (c *Controller) ReconcileOne(ctx context.Context, key string) (Result, error) {
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome)
	go func() {
		res, err := c.reconciler.Reconcile(ctx, key)
		select {
		case done <- outcome{res, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// StartWorkers starts up to n workers tracked by wg and reports how many
// were started before ctx ended.
func (c *Controller) StartWorkers(ctx context.Context, wg *sync.WaitGroup, n int) int {
	var started int
	for started = 0; started < n; started++ {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			c.log.Printf("controller %s: worker %d started", c.name, id)
			for c.processNextItem(ctx) {
			}
		}(started)
	}
	return started
}
