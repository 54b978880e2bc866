package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// runtimeInit guards the one-time preparation of a language runtime.
type runtimeInit struct {
	once sync.Once
	err  error
}

// ColdStarter creates new sandboxes, bounding how many start in parallel
// (cold starts are CPU heavy) and preparing each runtime once.
type ColdStarter struct {
	mu          sync.Mutex
	cond        *sync.Cond
	running     int
	maxParallel int
	started     int64
	runtimes    map[string]*runtimeInit

	seq         atomic.Uint64
	factory     Factory
	specs       SpecSource
	maxAttempts int
	backoff     time.Duration
	client      *http.Client
	announceURL string
	logf        func(format string, args ...any)
	afterStart  func(fn string)
}

// NewColdStarter returns a starter that allows maxParallel concurrent
// cold starts.
func NewColdStarter(f Factory, specs SpecSource, maxParallel int) *ColdStarter {
	if maxParallel <= 0 {
		maxParallel = 1
	}
	c := &ColdStarter{
		maxParallel: maxParallel,
		runtimes:    make(map[string]*runtimeInit),
		factory:     f,
		specs:       specs,
		maxAttempts: 3,
		backoff:     200 * time.Millisecond,
		client:      http.DefaultClient,
		logf:        log.Printf,
	}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// SetAnnounce makes the starter report replacements to the scheduler at url.
func (c *ColdStarter) SetAnnounce(url string, client *http.Client) {
	c.announceURL = url
	if client != nil {
		c.client = client
	}
}

// Count returns the number of successful cold starts so far.
func (c *ColdStarter) Count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.started
}

// Start cold-starts a sandbox for fn.
func (c *ColdStarter) Start(ctx context.Context, fn string) (Sandbox, error) {
	spec, err := c.specs(fn)
	if err != nil {
		return nil, err
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if err := c.prepareRuntime(spec); err != nil {
		return nil, err
	}
	if err := c.acquireSlot(ctx); err != nil {
		return nil, err
	}
	sb, err := c.startWithRetry(ctx, spec)
	c.releaseSlot()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.started++
	c.mu.Unlock()
	return sb, nil
}

// prepareRuntime checks, once per runtime, that its interpreter exists.
func (c *ColdStarter) prepareRuntime(spec Spec) error {
	c.mu.Lock()
	ri, ok := c.runtimes[spec.Runtime]
	if !ok {
		ri = &runtimeInit{}
		c.runtimes[spec.Runtime] = ri
	}
	c.mu.Unlock()

	ri.once.Do(func() {
		if _, err := exec.LookPath(spec.Command[0]); err != nil {
			ri.err = fmt.Errorf("runtime %s: %w", spec.Runtime, err)
		}
	})
	return ri.err
}

// acquireSlot waits for one of the maxParallel cold-start slots.
func (c *ColdStarter) acquireSlot(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.cond.Broadcast()
	})
	defer stop()

	c.mu.Lock()
	defer c.mu.Unlock()
	for c.running >= c.maxParallel {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.cond.Wait()
	}
	c.running++
	return nil
}

// releaseSlot frees a cold-start slot and wakes one waiter.
func (c *ColdStarter) releaseSlot() {
	c.mu.Lock()
	c.running--
	c.cond.Signal()
	c.mu.Unlock()
}

// startWithRetry calls the factory until it succeeds, backing off between
// attempts. Failures are reported to the control plane asynchronously so a
// slow log endpoint does not stretch the cold start.
func (c *ColdStarter) startWithRetry(ctx context.Context, spec Spec) (Sandbox, error) {
	var attempt int
	var lastErr error
	for attempt = 1; attempt <= c.maxAttempts; attempt++ {
		id := fmt.Sprintf("%s-%d", spec.Function, c.seq.Add(1))
		sb, err := c.factory(ctx, id, spec)
		if err == nil {
			return sb, nil
		}
		lastErr = err
		go func() { // HAZ loop-var-capture
			c.logf("cold start %s: attempt %d/%d failed: %v", id, attempt, c.maxAttempts, err)
		}()
		select {
		case <-ctx.Done():
			return nil, errors.Join(lastErr, ctx.Err())
		case <-time.After(c.backoff * time.Duration(attempt)):
		}
	}
	return nil, fmt.Errorf("sandbox: %s: giving up after %d attempts: %w", spec.Function, attempt-1, lastErr)
}

// Replace starts a fresh sandbox for the function of old, which crashed,
// and tells the scheduler about the replacement.
func (c *ColdStarter) Replace(ctx context.Context, old Sandbox) (Sandbox, error) {
	old.Kill()
	defer c.announce(old.Function(), old.ID()) // HAZ defer-blocking-call
	return c.Start(ctx, old.Function())
}

// Retire drains a sandbox that is being scaled down and then tells the
// scheduler to stop routing to it.
func (c *ColdStarter) Retire(ctx context.Context, old Sandbox) error {
	defer func() {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		c.announceCtx(actx, old.Function(), old.ID())
	}()
	if d, ok := old.(interface{ Drain(context.Context) error }); ok {
		return d.Drain(ctx)
	}
	old.Kill()
	return nil
}

// announce reports a replaced sandbox to the scheduler.
func (c *ColdStarter) announce(fn, replaced string) {
	if c.announceURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"function": fn, "replaced": replaced})
	if err != nil {
		return
	}
	resp, err := c.client.Post(c.announceURL, "application/json", bytes.NewReader(body))
	if err != nil {
		c.logf("announce %s: %v", replaced, err)
		return
	}
	resp.Body.Close()
}

// announceCtx posts {"function","replaced"} to the scheduler's endpoint.
func (c *ColdStarter) announceCtx(ctx context.Context, fn, replaced string) {
	if c.announceURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"function": fn, "replaced": replaced})
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.announceURL, bytes.NewReader(body))
	if err != nil {
		c.logf("announce %s: %v", replaced, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		c.logf("announce %s: %v", replaced, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		c.logf("announce %s: scheduler answered %s", replaced, resp.Status)
	}
}

// SetAfterStart installs a callback run after every StartHooked.
func (c *ColdStarter) SetAfterStart(f func(fn string)) { c.afterStart = f }

// StartHooked is Start followed by the after-start callback.
func (c *ColdStarter) StartHooked(ctx context.Context, fn string) (Sandbox, error) {
	defer c.afterStart(fn) // HAZ defer-nil-func
	return c.Start(ctx, fn)
}
