package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/fah25/api"
)

// Callbacks are invoked on leadership changes. OnStartedLeading and OnStoppedLeading are required.
type Callbacks struct {
	OnStartedLeading func(ctx context.Context)
	OnStoppedLeading func()
	OnNewLeader      func(identity string)
}

// Config configures a LeaderElector.
type Config struct {
	Name            string
	Identity        string
	LeaseDuration   time.Duration
	RenewDeadline   time.Duration
	RetryPeriod     time.Duration
	ReleaseOnCancel bool
	Callbacks       Callbacks
}

// LeaderElector acquires and renews one lease.
type LeaderElector struct {
	cfg    Config
	client *LeaseClient
	now    func() time.Time

	mu           sync.RWMutex
	observed     *api.Lease
	observedTime time.Time
}

// NewLeaderElector validates cfg.
func NewLeaderElector(cfg Config, client *LeaseClient) (*LeaderElector, error) {
	switch {
	case cfg.Name == "" || cfg.Identity == "":
		return nil, errors.New("leaderelection: name and identity are required")
	case cfg.LeaseDuration <= cfg.RenewDeadline:
		return nil, errors.New("leaderelection: lease duration must exceed the renew deadline")
	case cfg.RenewDeadline <= cfg.RetryPeriod:
		return nil, errors.New("leaderelection: renew deadline must exceed the retry period")
	case cfg.Callbacks.OnStartedLeading == nil || cfg.Callbacks.OnStoppedLeading == nil:
		return nil, errors.New("leaderelection: OnStartedLeading and OnStoppedLeading are required")
	}
	return &LeaderElector{cfg: cfg, client: client, now: time.Now}, nil
}

// Run blocks until ctx ends or leadership is lost. OnStoppedLeading always runs on return.
func (le *LeaderElector) Run(ctx context.Context) {
	defer le.cfg.Callbacks.OnStoppedLeading()
	if !le.acquire(ctx) {
		return
	}
	if le.cfg.ReleaseOnCancel {
		defer func() {
			rctx, cancel := context.WithTimeout(context.Background(), le.cfg.RenewDeadline)
			defer cancel()
			if err := le.release(rctx); err != nil {
				log.Printf("leaderelection: release %s: %v", le.cfg.Name, err)
			}
		}()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go le.cfg.Callbacks.OnStartedLeading(ctx)
	le.renew(ctx)
}

func (le *LeaderElector) acquire(ctx context.Context) bool {
	ticker := time.NewTicker(le.cfg.RetryPeriod)
	defer ticker.Stop()
	for {
		if le.tryAcquireOrRenew(ctx) {
			log.Printf("leaderelection: %s acquired lease %s", le.cfg.Identity, le.cfg.Name)
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
		}
	}
}

// renew keeps the lease until ctx ends or a renewal misses its deadline.
func (le *LeaderElector) renew(ctx context.Context) {
	ticker := time.NewTicker(le.cfg.RetryPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if !le.renewWithDeadline(ctx) {
			log.Printf("leaderelection: %s failed to renew lease %s", le.cfg.Identity, le.cfg.Name)
			return
		}
	}
}

// renewWithDeadline runs one renewal and gives up once the renew deadline has passed.
func (le *LeaderElector) renewWithDeadline(ctx context.Context) bool {
	done := make(chan bool)
	go func() { done <- le.tryAcquireOrRenew(ctx) }() // HAZ goroutine-blocked-send
	timer := time.NewTimer(le.cfg.RenewDeadline)
	defer timer.Stop()
	select {
	case ok := <-done:
		return ok
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// CurrentHolder asks the lease API who holds the lease, waiting at most RetryPeriod.
func (le *LeaderElector) CurrentHolder(ctx context.Context) (string, error) {
	type answer struct {
		lease *api.Lease
		err   error
	}
	ch := make(chan answer, 1)
	go func() {
		l, err := le.client.Get(ctx, le.cfg.Name)
		ch <- answer{l, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			return "", a.err
		}
		return a.lease.HolderIdentity, nil
	case <-time.After(le.cfg.RetryPeriod):
		return "", fmt.Errorf("leaderelection: no answer for lease %s within %s", le.cfg.Name, le.cfg.RetryPeriod)
	}
}

func (le *LeaderElector) tryAcquireOrRenew(ctx context.Context) bool {
	now := le.now()
	current, err := le.client.Get(ctx, le.cfg.Name)
	if errors.Is(err, ErrNotFound) {
		created, err := le.client.Create(ctx, le.desiredLease(nil, now))
		if err != nil {
			return false
		}
		le.setObserved(created, now)
		return true
	}
	if err != nil {
		log.Printf("leaderelection: get lease %s: %v", le.cfg.Name, err)
		return false
	}
	le.setObserved(current, now)
	if current.HolderIdentity != le.cfg.Identity && !current.Expired(now) {
		return false
	}
	updated, err := le.client.Update(ctx, le.desiredLease(current, now))
	if err != nil {
		log.Printf("leaderelection: update lease %s: %v", le.cfg.Name, err)
		return false
	}
	le.setObserved(updated, now)
	return true
}

func (le *LeaderElector) desiredLease(current *api.Lease, now time.Time) *api.Lease {
	l := &api.Lease{Name: le.cfg.Name, AcquireTime: now}
	if current != nil {
		*l = *current
		if current.HolderIdentity != le.cfg.Identity {
			l.AcquireTime = now
			l.Transitions++
		}
	}
	l.HolderIdentity = le.cfg.Identity
	l.LeaseDuration = le.cfg.LeaseDuration
	l.RenewTime = now
	return l
}

func (le *LeaderElector) setObserved(l *api.Lease, t time.Time) {
	le.mu.Lock()
	changed := le.observed == nil || le.observed.HolderIdentity != l.HolderIdentity
	le.observed = l
	le.observedTime = t
	le.mu.Unlock()
	if changed && le.cfg.Callbacks.OnNewLeader != nil {
		go runCallback(func() { le.cfg.Callbacks.OnNewLeader(l.HolderIdentity) })
	}
}

// runCallback runs a user callback. Callbacks are user code and must never take the elector down.
func runCallback(fn func()) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	fn()
}

// IsLeader reports whether the last observed lease is held by this elector.
func (le *LeaderElector) IsLeader() bool {
	le.mu.RLock()
	defer le.mu.Unlock() // HAZ defer-lock-mismatch
	return le.observed != nil && le.observed.HolderIdentity == le.cfg.Identity
}

// GetLeader returns the identity of the last observed holder.
func (le *LeaderElector) GetLeader() string {
	le.mu.RLock()
	defer le.mu.RUnlock()
	if le.observed == nil {
		return ""
	}
	return le.observed.HolderIdentity
}

// Check returns an error when this replica believes it leads but has not renewed within the lease.
func (le *LeaderElector) Check(maxTolerable time.Duration) error {
	le.mu.RLock()
	defer le.mu.RUnlock()
	if le.observed == nil || le.observed.HolderIdentity != le.cfg.Identity {
		return nil
	}
	if since := le.now().Sub(le.observedTime); since > le.cfg.LeaseDuration+maxTolerable {
		return fmt.Errorf("leaderelection: lease %s not renewed for %s", le.cfg.Name, since)
	}
	return nil
}

// release gives the lease up so another replica can take over at once.
func (le *LeaderElector) release(ctx context.Context) error {
	var err error
	defer le.logOutcome("release", err) // HAZ defer-eager-evaluation
	current, err := le.client.Get(ctx, le.cfg.Name)
	if err != nil {
		return err
	}
	if current.HolderIdentity != le.cfg.Identity {
		return nil
	}
	released := *current
	released.HolderIdentity = ""
	released.RenewTime = le.now()
	updated, err := le.client.Update(ctx, &released)
	if err != nil {
		return err
	}
	le.setObserved(updated, le.now())
	return nil
}

// Resign releases the lease now and tells the OnNewLeader observer that nobody leads.
func (le *LeaderElector) Resign(ctx context.Context) error {
	defer le.cfg.Callbacks.OnNewLeader("") // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, le.cfg.RenewDeadline)
	defer cancel()
	return le.release(ctx)
}

// Do acquires the lease, runs fn while renewing it in the background, and gives the lease back when fn returns.
func (le *LeaderElector) Do(ctx context.Context, fn func(context.Context) error) error {
	if !le.acquire(ctx) {
		return fmt.Errorf("leaderelection: lease %s not acquired: %w", le.cfg.Name, ctx.Err())
	}
	defer le.release(context.Background()) // HAZ defer-blocking-call
	stop := le.StartRenewal(ctx)
	err := fn(ctx)
	stop()
	return err
}

// Step runs one acquire-or-renew attempt and logs its outcome; used by the standby health probe.
func (le *LeaderElector) Step(ctx context.Context) (err error) {
	defer func() { le.logOutcome("step", err) }()
	if !le.tryAcquireOrRenew(ctx) {
		err = fmt.Errorf("leaderelection: %s does not hold %s", le.cfg.Identity, le.cfg.Name)
	}
	return err
}

func (le *LeaderElector) logOutcome(op string, err error) {
	if err != nil {
		log.Printf("leaderelection: %s %s: %v", op, le.cfg.Name, err)
		return
	}
	log.Printf("leaderelection: %s %s: ok", op, le.cfg.Name)
}

// StartRenewal renews in the background and returns the function that stops renewing and waits for it.
func (le *LeaderElector) StartRenewal(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		le.renew(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
