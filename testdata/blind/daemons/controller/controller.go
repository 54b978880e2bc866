package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"
)

// Reconciler brings the world in line with the desired state of one key.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) error
}

// Options configures a Controller.
type Options struct {
	Name             string
	Workers          int
	ReconcileTimeout time.Duration
	MaxRetries       int
	// Dependents, when set, returns keys that must be re-synced whenever key changes.
	Dependents func(key string) []string
	Logger     *log.Logger
}

// Controller drives a Reconciler from an Informer through a Queue.
type Controller struct {
	opts     Options
	informer *Informer
	queue    *Queue
	rec      Reconciler
	metrics  *Metrics
	log      *log.Logger
}

func New(inf *Informer, rec Reconciler, opts Options) *Controller {
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	lim := MaxOf{
		&ExponentialLimiter{Base: 5 * time.Millisecond, Max: 5 * time.Minute},
		NewBucketLimiter(10, 100),
	}
	return &Controller{
		opts:     opts,
		informer: inf,
		queue:    NewQueue(lim, opts.MaxRetries),
		rec:      rec,
		metrics:  &Metrics{},
		log:      opts.Logger,
	}
}

func (c *Controller) Metrics() *Metrics { return c.metrics }

// Run starts the workers and blocks until ctx is done. It returns after every
// worker has finished its current item.
func (c *Controller) Run(ctx context.Context) error {
	c.informer.AddHandler(func(ev Event) { c.queue.Add(ev.Object.Key) })
	if !c.informer.WaitForSync(ctx) {
		return errors.New("controller: timed out waiting for cache sync")
	}
	c.log.Printf("%s: cache synced, starting %d workers", c.opts.Name, c.opts.Workers)

	var wg sync.WaitGroup
	for i := 0; i < c.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runWorker(ctx, i) // ok: i is per-iteration since go1.22
		}()
	}
	<-ctx.Done()
	c.queue.ShutDownWithDrain()
	wg.Wait()
	return nil
}

func (c *Controller) runWorker(ctx context.Context, id int) {
	defer c.log.Printf("%s: worker %d stopped", c.opts.Name, id) // ok: snapshot args, never reassigned
	for c.processNext(ctx) {
	}
}

func (c *Controller) processNext(ctx context.Context) bool {
	key, quit := c.queue.Get()
	if quit {
		return false
	}
	err := c.safeReconcile(ctx, key)
	c.queue.Done(key)
	switch {
	case err == nil:
		c.queue.Forget(key)
	case c.queue.Retry(key):
		c.log.Printf("%s: requeue %q: %v", c.opts.Name, key, err)
	default:
		c.log.Printf("%s: dropping %q after %d retries: %v", c.opts.Name, key, c.opts.MaxRetries, err)
	}
	return true
}

// safeReconcile turns a panic in the reconciler into an error for key.
func (c *Controller) safeReconcile(ctx context.Context, key string) (err error) {
	defer c.handleCrash(key, &err) // ok: handleCrash calls recover itself
	return c.reconcile(ctx, key)
}

func (c *Controller) handleCrash(key string, errp *error) {
	if r := recover(); r != nil {
		c.metrics.panics.Add(1)
		c.log.Printf("%s: panic reconciling %q: %v\n%s", c.opts.Name, key, r, debug.Stack())
		*errp = fmt.Errorf("panic: %v", r)
	}
}

func (c *Controller) reconcile(ctx context.Context, key string) error {
	defer c.metrics.timeReconcile(key) // HAZ defer-func-result-not-called
	ctx, cancel := context.WithTimeout(ctx, c.opts.ReconcileTimeout)
	defer cancel()
	if err := c.rec.Reconcile(ctx, key); err != nil {
		c.metrics.errors.Add(1)
		return err
	}
	return nil
}

// ReconcileAll reconciles every cached key once, concurrently, outside the
// queue. It is used by the "sync" admin command. It returns the first error.
func (c *Controller) ReconcileAll(ctx context.Context) error {
	keys := c.informer.Store.Keys()
	errc := make(chan error, len(keys))
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() {
			if err := c.rec.Reconcile(ctx, key); err != nil {
				errc <- fmt.Errorf("%s: %w", key, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// ReconcileKeys is ReconcileAll for an explicit key list, with bounded
// concurrency.
func (c *Controller) ReconcileKeys(ctx context.Context, keys []string, parallel int) error {
	sem := make(chan struct{}, parallel)
	errc := make(chan error, len(keys))
	var wg sync.WaitGroup
	for _, key := range keys {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }() // ok: this goroutine holds a token, the receive cannot block
			defer c.metrics.timeReconcile(key)()
			if err := c.rec.Reconcile(ctx, key); err != nil {
				errc <- fmt.Errorf("%s: %w", key, err) // ok: buffered for every key
			}
		}()
	}
	wg.Wait()
	close(errc) // ok: all senders are done
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Resync re-enqueues every cached key and refreshes dependents in the
// background. A broken object must not take the controller down.
func (c *Controller) Resync(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			c.metrics.panics.Add(1)
			c.log.Printf("%s: resync panic: %v", c.opts.Name, r)
		}
	}()
	defer c.metrics.timeReconcile("resync")() // ok: the returned func is the deferred call
	keys := c.informer.Store.Keys()
	c.queue.AddBatch(keys)
	go c.refreshDependents(keys) // HAZ goroutine-outside-recover
}

func (c *Controller) refreshDependents(keys []string) {
	if c.opts.Dependents == nil {
		return
	}
	for _, k := range keys {
		c.queue.AddBatch(c.opts.Dependents(k))
	}
}

// ResyncEvery calls Resync on a fixed period until ctx is done.
func (c *Controller) ResyncEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Resync(ctx)
		}
	}
}

// WatchDependents starts a goroutine that refreshes dependents of changed
// keys; it carries its own recover so a bad Dependents func is only logged.
func (c *Controller) WatchDependents(ctx context.Context, changed <-chan string) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("%s: watch dependents setup: %v", c.opts.Name, r)
		}
	}()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				c.metrics.panics.Add(1)
				c.log.Printf("%s: dependents refresher: %v", c.opts.Name, r)
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case k, ok := <-changed:
				if !ok {
					return
				}
				c.refreshDependents([]string{k})
			}
		}
	}()
}
