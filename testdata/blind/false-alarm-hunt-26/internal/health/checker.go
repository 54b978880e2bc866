// Package health probes backends and moves them in and out of rotation.
package health

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"example.com/fah26/internal/backend"
)

// Prober checks one backend. It must honour ctx's deadline.
type Prober interface {
	Probe(ctx context.Context, b *backend.Backend) error
}

// Checker probes every backend of a pool at a fixed interval. It is started
// with Start and stopped, and joined, with Stop.
type Checker struct {
	// OnDown, if set, is called when a backend leaves rotation.
	OnDown func(name string, err error)

	pool      *backend.Pool
	prober    Prober
	interval  time.Duration
	timeout   time.Duration
	threshold int
	logger    *log.Logger

	mu      sync.Mutex
	running bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// NewChecker returns a stopped checker.
func NewChecker(pool *backend.Pool, p Prober, interval, timeout time.Duration, threshold int, logger *log.Logger) *Checker {
	if logger == nil {
		logger = log.Default()
	}
	return &Checker{
		pool:      pool,
		prober:    p,
		interval:  interval,
		timeout:   timeout,
		threshold: threshold,
		logger:    logger,
	}
}

// Start launches the probe loop. It runs until Stop is called or parent is
// done.
func (c *Checker) Start(parent context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return errors.New("health: checker already running")
	}
	ctx, cancel := context.WithCancel(parent)
	c.cancel = cancel
	c.running = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.loop(ctx)
	}()
	return nil
}

// Stop cancels the probe loop and waits for it and every probe in flight.
// The lock is released before waiting so that a probe reporting back can
// never deadlock against Stop.
func (c *Checker) Stop() {
	c.mu.Lock()
	if !c.running {
		c.mu.Unlock()
		return
	}
	c.running = false
	cancel := c.cancel
	c.mu.Unlock()

	cancel()
	c.wg.Wait()
}

func (c *Checker) loop(ctx context.Context) {
	t := time.NewTicker(c.interval)
	defer t.Stop()
	c.round(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.round(ctx)
		}
	}
}

// round probes all backends concurrently and returns when every probe is
// done.
func (c *Checker) round(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range c.pool.Snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.checkOne(ctx, b)
		}()
	}
	wg.Wait()
}

func (c *Checker) checkOne(ctx context.Context, b *backend.Backend) {
	pctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := c.prober.Probe(pctx, b); err != nil {
		if ctx.Err() != nil {
			return // shutting down: not the backend's fault
		}
		if b.ReportFailure(err, c.threshold) {
			c.logger.Printf("health: %s out of rotation: %v", b.Name, err)
			c.notify(b, err)
		}
		return
	}
	if b.ReportSuccess() {
		c.logger.Printf("health: %s back in rotation", b.Name)
	}
}

// notify runs the user's OnDown hook. Hooks are best effort.
func (c *Checker) notify(b *backend.Backend, err error) {
	if c.OnDown == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken hook must not stop health checking
		}
	}()
	c.OnDown(b.Name, err)
}

// RunOnce probes every backend once, without changing their state, and
// returns the failures by backend name. Used by the CLI and by tests.
func (c *Checker) RunOnce(ctx context.Context) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for _, b := range c.pool.Snapshot() {
		wg.Add(1)
		go func() {
			if ctx.Err() != nil {
				return // caller gave up; nothing to record
			}
			pctx, cancel := context.WithTimeout(ctx, c.timeout)
			err := c.prober.Probe(pctx, b)
			cancel()
			if err != nil {
				mu.Lock()
				failed[b.Name] = err
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return failed
}

// ProbeNow probes a single backend synchronously and applies the result, for
// the admin "check NAME" command. A panicking prober is turned into an error.
func (c *Checker) ProbeNow(ctx context.Context, name string) (err error) {
	b, ok := c.pool.Get(name)
	if !ok {
		return errors.New("health: unknown backend " + name)
	}
	defer c.recoverProbe(&err)
	pctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err = c.prober.Probe(pctx, b); err != nil {
		b.ReportFailure(err, c.threshold)
		return err
	}
	b.ReportSuccess()
	return nil
}

// recoverProbe turns a prober panic into an error for ProbeNow.
func (c *Checker) recoverProbe(errp *error) {
	if r := recover(); r != nil {
		c.logger.Printf("health: prober panicked: %v", r)
		*errp = errors.New("health: prober panicked")
	}
}
