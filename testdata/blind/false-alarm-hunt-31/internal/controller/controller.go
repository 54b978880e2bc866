// Package controller runs reconcilers over keys delivered by an informer,
// with rate-limited retries and a bounded number of workers.
package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
	"example.com/fah31/internal/events"
	"example.com/fah31/internal/metrics"
	"example.com/fah31/internal/workqueue"
)

const maxRetries = 15

// Result tells the controller whether and when to look at a key again.
type Result struct {
	Requeue      bool
	RequeueAfter time.Duration
}

// Reconciler drives one object towards its desired state.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) (Result, error)
}

// Options configure a Controller.
type Options struct {
	Name     string
	Workers  int
	Logger   *log.Logger
	Recorder *events.Recorder
	Metrics  *metrics.Registry
}

// Controller connects an informer, a work queue and a reconciler.
type Controller struct {
	name       string
	workers    int
	log        *log.Logger
	informer   *cache.Informer
	queue      *workqueue.Queue
	reconciler Reconciler
	events     *events.Recorder
	metrics    *metrics.Registry
	crashes    atomic.Int64
	panics     sync.Map // key -> error, written by hooks

	mu       sync.Mutex
	lastErr  map[string]error
	inflight map[string]time.Time
}

// New builds a controller and registers it as an event handler of the informer's store.
func New(inf *cache.Informer, r Reconciler, opts Options) *Controller {
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	if opts.Metrics == nil {
		opts.Metrics = &metrics.Registry{}
	}
	c := &Controller{
		name:       opts.Name,
		workers:    opts.Workers,
		log:        opts.Logger,
		informer:   inf,
		queue:      workqueue.New(workqueue.DefaultLimiter()),
		reconciler: r,
		events:     opts.Recorder,
		metrics:    opts.Metrics,
		lastErr:    make(map[string]error),
		inflight:   make(map[string]time.Time),
	}
	inf.Store().AddEventHandler(c)
	return c
}

// OnAdd implements cache.EventHandler.
func (c *Controller) OnAdd(obj *api.Object) { c.queue.Add(api.KeyOf(obj)) }

// OnUpdate implements cache.EventHandler; unchanged resyncs are still queued.
func (c *Controller) OnUpdate(_, newObj *api.Object) { c.queue.Add(api.KeyOf(newObj)) }

// OnDelete implements cache.EventHandler.
func (c *Controller) OnDelete(obj *api.Object) {
	key := api.KeyOf(obj)
	c.mu.Lock()
	delete(c.lastErr, key)
	c.mu.Unlock()
	c.queue.Add(key)
}

// Run starts the informer and the workers and blocks until ctx is done.
// Every goroutine it starts has exited when it returns.
func (c *Controller) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	informerErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		informerErr <- c.informer.Run(ctx)
	}()

	if !cache.WaitForCacheSync(ctx, c.informer.HasSynced) {
		c.queue.ShutDown()
		wg.Wait()
		return fmt.Errorf("%s: caches did not sync: %w", c.name, ctx.Err())
	}

	for i := 0; i < c.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.worker(ctx, i)
		}()
	}

	<-ctx.Done()
	c.queue.ShutDown()
	wg.Wait()
	if err := <-informerErr; err != nil && !errors.Is(err, ctx.Err()) {
		return err
	}
	return nil
}

func (c *Controller) worker(ctx context.Context, id int) {
	defer c.log.Printf("%s: worker %d stopped", c.name, id)
	for c.processNextItem(ctx) {
	}
}

func (c *Controller) processNextItem(ctx context.Context) bool {
	key, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	c.markInflight(key, true)
	res, err := c.reconcileObserved(ctx, key)
	c.markInflight(key, false)
	c.handleResult(key, res, err)
	c.queue.Done(key)
	return true
}

func (c *Controller) markInflight(key string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if on {
		c.inflight[key] = time.Now()
		return
	}
	delete(c.inflight, key)
}

// handleResult decides about requeueing; it returns early from several
// branches, all under the deferred unlock.
func (c *Controller) handleResult(key string, res Result, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil:
		c.lastErr[key] = err
		if c.queue.NumRequeues(key) < maxRetries {
			c.queue.AddRateLimited(key)
			return
		}
		c.log.Printf("%s: dropping %q after %d retries: %v", c.name, key, maxRetries, err)
		c.queue.Forget(key)
	case res.RequeueAfter > 0:
		delete(c.lastErr, key)
		c.queue.Forget(key)
		c.queue.AddAfter(key, res.RequeueAfter)
	case res.Requeue:
		delete(c.lastErr, key)
		c.queue.AddRateLimited(key)
	default:
		delete(c.lastErr, key)
		c.queue.Forget(key)
	}
}

// LastError returns the last reconcile error of key, if any.
func (c *Controller) LastError(key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr[key]
}

// Stuck returns keys that have been reconciling for longer than d.
func (c *Controller) Stuck(d time.Duration) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k, since := range c.inflight {
		if time.Since(since) > d {
			out = append(out, k)
		}
	}
	return out
}

// Drain processes what is queued right now and then shuts the queue down,
// logging the final queue counters.
func (c *Controller) Drain(ctx context.Context) {
	defer c.queue.Metrics().Report(c.log) // HAZ defer-call-chain
	c.queue.ShutDownWithDrain()
	for c.processNextItem(ctx) {
	}
}

// DrainAndReport is Drain with the counters read after the work is done.
func (c *Controller) DrainAndReport(ctx context.Context) {
	c.queue.ShutDownWithDrain()
	for c.processNextItem(ctx) {
	}
	c.queue.Metrics().Report(c.log)
}

// Queue exposes the work queue for manual triggers.
func (c *Controller) Queue() *workqueue.Queue { return c.queue }
