// Package leader implements lease-based leader election: a candidate takes
// a lease, renews it on a ticker while it leads, and releases it when its
// context is cancelled.
package leader

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// ErrNotFound is returned by LeaseClient.Get for a lease nobody holds.
var ErrNotFound = errors.New("lease not found")

// ErrLeaseLost means another candidate holds the lease.
var ErrLeaseLost = errors.New("lease lost")

// Lease is the shared record candidates compete for.
type Lease struct {
	Holder   string        `json:"holder"`
	Acquired time.Time     `json:"acquired"`
	Renewed  time.Time     `json:"renewed"`
	Duration time.Duration `json:"duration"`
}

// LeaseClient stores leases.
type LeaseClient interface {
	Get(ctx context.Context, name string) (Lease, error)
	Update(ctx context.Context, name string, l Lease) error
	Release(ctx context.Context, name, holder string) error
}

// Config configures an Elector.
type Config struct {
	Client        LeaseClient
	Name          string
	Identity      string
	LeaseDuration time.Duration
	RenewPeriod   time.Duration
	RetryPeriod   time.Duration
	OnStarted     func(ctx context.Context)
	OnStopped     func()
}

// Elector runs one candidate.
type Elector struct {
	cfg Config

	mu       sync.RWMutex
	observed Lease
	leading  bool
}

// NewElector validates cfg.
func NewElector(cfg Config) (*Elector, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("leader: Client is required")
	case cfg.Identity == "":
		return nil, errors.New("leader: Identity is required")
	case cfg.RenewPeriod <= 0 || cfg.RenewPeriod >= cfg.LeaseDuration:
		return nil, fmt.Errorf("leader: RenewPeriod %v must be in (0, %v)", cfg.RenewPeriod, cfg.LeaseDuration)
	case cfg.OnStarted == nil:
		return nil, errors.New("leader: OnStarted is required")
	}
	if cfg.RetryPeriod <= 0 {
		cfg.RetryPeriod = cfg.RenewPeriod
	}
	return &Elector{cfg: cfg}, nil
}

// IsLeader reports whether this candidate currently leads.
func (e *Elector) IsLeader() bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.leading
}

// Observed returns the last lease record seen.
func (e *Elector) Observed() Lease {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.observed
}

// Run campaigns until it leads, runs OnStarted while renewing, and returns
// when ctx is cancelled or the lease is lost. OnStarted has returned and the
// lease is released when Run returns.
func (e *Elector) Run(ctx context.Context) error {
	if err := e.acquire(ctx); err != nil {
		return err
	}
	leadCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.cfg.OnStarted(leadCtx)
	}()

	err := e.renewLoop(leadCtx)
	cancel()
	wg.Wait()
	e.release()
	if e.cfg.OnStopped != nil {
		e.cfg.OnStopped()
	}
	return err
}

func (e *Elector) acquire(ctx context.Context) error {
	ticker := time.NewTicker(e.cfg.RetryPeriod)
	defer ticker.Stop()
	for {
		ok, err := e.tryAcquireOrRenew(ctx)
		if err != nil {
			log.Printf("leader: %s: acquire %s: %v", e.cfg.Identity, e.cfg.Name, err)
		}
		if ok {
			log.Printf("leader: %s acquired %s", e.cfg.Identity, e.cfg.Name)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

func (e *Elector) renewLoop(ctx context.Context) error {
	ticker := time.NewTicker(e.cfg.RenewPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
			if err := e.renewWithTimeout(ctx); err != nil {
				return err
			}
		}
	}
}

// renewWithTimeout gives a renewal until the lease would expire.
func (e *Elector) renewWithTimeout(ctx context.Context) error {
	done := make(chan error)
	go func() {
		ok, err := e.tryAcquireOrRenew(ctx)
		if err == nil && !ok {
			err = ErrLeaseLost
		}
		done <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(e.cfg.LeaseDuration):
		return fmt.Errorf("leader: renewing %s took longer than the lease: %w", e.cfg.Name, ErrLeaseLost)
	}
}

// probe asks who holds the lease, giving up after d. The reply channel has
// room for the answer, so a late reply does not strand the goroutine.
func (e *Elector) probe(ctx context.Context, d time.Duration) (Lease, error) {
	type reply struct {
		l   Lease
		err error
	}
	ch := make(chan reply, 1)
	go func() {
		l, err := e.cfg.Client.Get(ctx, e.cfg.Name)
		ch <- reply{l, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.l, r.err
	case <-t.C:
		return Lease{}, fmt.Errorf("leader: probe %s: timed out after %v", e.cfg.Name, d)
	}
}

// renewBounded is renewWithTimeout done with a context deadline instead of
// a helper goroutine.
func (e *Elector) renewBounded(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, e.cfg.LeaseDuration)
	defer cancel()
	ok, err := e.tryAcquireOrRenew(rctx)
	if err != nil {
		return err
	}
	if !ok {
		return ErrLeaseLost
	}
	return nil
}

func (e *Elector) tryAcquireOrRenew(ctx context.Context) (bool, error) {
	now := time.Now()
	cur, err := e.cfg.Client.Get(ctx, e.cfg.Name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, err
	}
	if cur.Holder != "" && cur.Holder != e.cfg.Identity && now.Before(cur.Renewed.Add(cur.Duration)) {
		e.setObserved(cur, false)
		return false, nil
	}
	next := Lease{Holder: e.cfg.Identity, Acquired: cur.Acquired, Renewed: now, Duration: e.cfg.LeaseDuration}
	if cur.Holder != e.cfg.Identity {
		next.Acquired = now
	}
	if err := e.cfg.Client.Update(ctx, e.cfg.Name, next); err != nil {
		return false, err
	}
	e.setObserved(next, true)
	return true, nil
}

func (e *Elector) setObserved(l Lease, leading bool) {
	e.mu.Lock()
	e.observed = l
	e.leading = leading
	e.mu.Unlock()
}

// release gives the lease up with a bounded timeout, if we hold it.
func (e *Elector) release() {
	if !e.IsLeader() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.RenewPeriod)
	defer cancel()
	if err := e.cfg.Client.Release(ctx, e.cfg.Name, e.cfg.Identity); err != nil {
		log.Printf("leader: %s: release %s: %v", e.cfg.Identity, e.cfg.Name, err)
	}
	e.setObserved(Lease{}, false)
}

// RunOnce leads until ctx is done if it can take the lease right away;
// it reports whether it led.
func (e *Elector) RunOnce(ctx context.Context) (bool, error) {
	ok, err := e.tryAcquireOrRenew(ctx)
	if err != nil || !ok {
		return false, err
	}
	defer e.cfg.OnStopped() // HAZ defer-nil-func
	e.cfg.OnStarted(ctx)
	e.release()
	return true, nil
}

// RunOnceGuarded is RunOnce that only defers the optional callback when set.
func (e *Elector) RunOnceGuarded(ctx context.Context) (bool, error) {
	ok, err := e.tryAcquireOrRenew(ctx)
	if err != nil || !ok {
		return false, err
	}
	if e.cfg.OnStopped != nil {
		defer e.cfg.OnStopped()
	}
	e.cfg.OnStarted(ctx)
	e.release()
	return true, nil
}

// Describe renders the election state for the status page.
func (e *Elector) Describe() string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	role := "follower"
	if e.IsLeader() { // HAZ lock-reentry-under-defer
		role = "leader"
	}
	return fmt.Sprintf("%s is %s; holder=%s renewed=%s", e.cfg.Identity, role,
		e.observed.Holder, e.observed.Renewed.Format(time.RFC3339))
}

// DescribeSnapshot reads the fields once under the lock and formats after.
func (e *Elector) DescribeSnapshot() string {
	e.mu.RLock()
	leading, obs := e.leading, e.observed
	e.mu.RUnlock()
	role := "follower"
	if leading {
		role = "leader"
	}
	return fmt.Sprintf("%s is %s; holder=%s renewed=%s", e.cfg.Identity, role,
		obs.Holder, obs.Renewed.Format(time.RFC3339))
}

// tryAcquirePaced makes one attempt and spaces attempts by RetryPeriod.
func (e *Elector) tryAcquirePaced(ctx context.Context) (bool, error) {
	defer time.Sleep(e.cfg.RetryPeriod) // HAZ defer-blocking-call
	return e.tryAcquireOrRenew(ctx)
}

// tryAcquireTimed bounds one attempt with a deadline released on exit.
func (e *Elector) tryAcquireTimed(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.RetryPeriod)
	defer cancel()
	return e.tryAcquireOrRenew(ctx)
}
