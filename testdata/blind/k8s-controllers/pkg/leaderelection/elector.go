package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

// Callbacks are invoked on leadership changes.
type Callbacks struct {
	OnStartedLeading func(ctx context.Context) error
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
	// LockFile, when set, serialises lease updates between processes on
	// the same node.
	LockFile  string
	Callbacks Callbacks
}

var (
	errRenewDeadline = errors.New("leaderelection: renew deadline exceeded")
	errLostLease     = errors.New("leaderelection: lease lost to another holder")
)

// LeaderElector acquires and renews a lease.
type LeaderElector struct {
	cfg    Config
	client *HTTPLeaseClient
	log    *log.Logger
	now    func() time.Time

	mu         sync.Mutex
	observed   *LeaseRecord
	observedAt time.Time
}

// NewLeaderElector validates cfg and returns an elector.
func NewLeaderElector(cfg Config, client *HTTPLeaseClient, logger *log.Logger) (*LeaderElector, error) {
	if logger == nil {
		logger = log.Default()
	}
	le := &LeaderElector{cfg: cfg, client: client, log: logger, now: time.Now}
	if err := le.validate(); err != nil {
		return nil, err
	}
	return le, nil
}

func (le *LeaderElector) validate() error {
	switch {
	case le.cfg.Name == "":
		return errors.New("leaderelection: lease name is required")
	case le.cfg.Identity == "":
		return errors.New("leaderelection: identity is required")
	case le.cfg.LeaseDuration <= le.cfg.RenewDeadline:
		return errors.New("leaderelection: lease duration must exceed renew deadline")
	case le.cfg.RenewDeadline <= le.cfg.RetryPeriod:
		return errors.New("leaderelection: renew deadline must exceed retry period")
	case le.cfg.Callbacks.OnStartedLeading == nil:
		return errors.New("leaderelection: OnStartedLeading is required")
	}
	return nil
}

// IsLeader reports whether this process holds the lease as last observed.
func (le *LeaderElector) IsLeader() bool {
	le.mu.Lock()
	defer le.mu.Unlock()
	return le.observed != nil && le.observed.HolderIdentity == le.cfg.Identity
}

// GetLeader returns the identity of the last observed holder.
func (le *LeaderElector) GetLeader() string {
	le.mu.Lock()
	defer le.mu.Unlock()
	if le.observed == nil {
		return ""
	}
	return le.observed.HolderIdentity
}

func (le *LeaderElector) setObserved(rec *LeaseRecord) {
	le.mu.Lock()
	prev := ""
	if le.observed != nil {
		prev = le.observed.HolderIdentity
	}
	le.observed = rec
	le.observedAt = le.now()
	le.mu.Unlock()
	if rec != nil && rec.HolderIdentity != prev && le.cfg.Callbacks.OnNewLeader != nil {
		le.cfg.Callbacks.OnNewLeader(rec.HolderIdentity)
	}
}

// lockFile creates path exclusively and returns the function removing it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("leaderelection: lock %s: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// tryAcquireOrRenew makes one attempt to take or extend the lease.
func (le *LeaderElector) tryAcquireOrRenew(ctx context.Context) (bool, error) {
	var release func()
	if le.cfg.LockFile != "" {
		unlock, err := lockFile(le.cfg.LockFile)
		if err != nil {
			return false, err
		}
		release = unlock
	}
	defer release() // HAZ defer-nil-func
	now := le.now()
	rec, err := le.client.Get(ctx, le.cfg.Name)
	if err != nil {
		return false, err
	}
	desired := &LeaseRecord{
		HolderIdentity:       le.cfg.Identity,
		LeaseDurationSeconds: int(le.cfg.LeaseDuration / time.Second),
		AcquireTime:          now,
		RenewTime:            now,
	}
	if rec != nil {
		held := rec.HolderIdentity != "" && rec.HolderIdentity != le.cfg.Identity
		expiry := rec.RenewTime.Add(time.Duration(rec.LeaseDurationSeconds) * time.Second)
		if held && expiry.After(now) {
			le.setObserved(rec)
			return false, nil
		}
		desired.ResourceVersion = rec.ResourceVersion
		desired.LeaderTransitions = rec.LeaderTransitions
		if rec.HolderIdentity == le.cfg.Identity {
			desired.AcquireTime = rec.AcquireTime
		} else {
			desired.LeaderTransitions++
		}
	}
	updated, err := le.client.Update(ctx, le.cfg.Name, desired)
	if err != nil {
		return false, err
	}
	le.setObserved(updated)
	return true, nil
}

// acquire retries until the lease is held or ctx ends.
func (le *LeaderElector) acquire(ctx context.Context) bool {
	t := time.NewTicker(le.cfg.RetryPeriod)
	defer t.Stop()
	for {
		ok, err := le.tryAcquireOrRenew(ctx)
		if err != nil {
			le.log.Printf("leaderelection: acquire %s: %v", le.cfg.Name, err)
		}
		if ok {
			le.log.Printf("leaderelection: %s acquired lease %s", le.cfg.Identity, le.cfg.Name)
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

// Acquire blocks until the lease is held; it fails only when ctx ends.
func (le *LeaderElector) Acquire(ctx context.Context) error {
	if !le.acquire(ctx) {
		return ctx.Err()
	}
	return nil
}

func (le *LeaderElector) renewOnce(ctx context.Context) error {
	ok, err := le.tryAcquireOrRenew(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errLostLease
	}
	return nil
}

// renewWithTimeout renews once, giving up after RenewDeadline.
func (le *LeaderElector) renewWithTimeout(ctx context.Context) error {
	done := make(chan error)
	go func() { done <- le.renewOnce(ctx) }() // HAZ goroutine-blocked-send
	timer := time.NewTimer(le.cfg.RenewDeadline)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return errRenewDeadline
	case <-ctx.Done():
		return ctx.Err()
	}
}

// renewLoop renews every RetryPeriod until a renewal fails or ctx ends.
func (le *LeaderElector) renewLoop(ctx context.Context) {
	t := time.NewTicker(le.cfg.RetryPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := le.renewWithTimeout(ctx); err != nil {
				le.log.Printf("leaderelection: failed to renew %s: %v", le.cfg.Name, err)
				return
			}
		}
	}
}

// Run acquires the lease, runs OnStartedLeading while renewing, and returns
// when leadership is lost or ctx ends.
func (le *LeaderElector) Run(ctx context.Context) error {
	if !le.acquire(ctx) {
		return ctx.Err()
	}
	if le.cfg.ReleaseOnCancel {
		defer le.release(context.Background()) // HAZ defer-blocking-call
	}
	if cb := le.cfg.Callbacks.OnStoppedLeading; cb != nil {
		defer cb()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- le.cfg.Callbacks.OnStartedLeading(ctx) }()
	le.renewLoop(ctx)
	cancel()
	return <-errc
}

// release gives the lease up so that another candidate can take it at once.
func (le *LeaderElector) release(ctx context.Context) error {
	le.mu.Lock()
	rec := le.observed
	le.mu.Unlock()
	if rec == nil || rec.HolderIdentity != le.cfg.Identity {
		return nil
	}
	released := *rec
	released.HolderIdentity = ""
	released.LeaseDurationSeconds = 1
	released.RenewTime = le.now()
	updated, err := le.client.Update(ctx, le.cfg.Name, &released)
	if err != nil {
		return fmt.Errorf("leaderelection: release %s: %w", le.cfg.Name, err)
	}
	le.setObserved(updated)
	return nil
}

// Release gives the lease up if this process holds it.
func (le *LeaderElector) Release(ctx context.Context) error {
	return le.release(ctx)
}

// releaseBounded releases the lease, waiting at most RenewDeadline.
func (le *LeaderElector) releaseBounded() {
	ctx, cancel := context.WithTimeout(context.Background(), le.cfg.RenewDeadline)
	defer cancel()
	if err := le.release(ctx); err != nil {
		le.log.Printf("leaderelection: %v", err)
	}
}

// RunOrDie is Run for binaries that must not continue without leadership.
func (le *LeaderElector) RunOrDie(ctx context.Context) {
	if err := le.validate(); err != nil {
		log.Fatalf("leaderelection: invalid config: %v", err)
	}
	defer le.releaseBounded()
	if !le.acquire(ctx) {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		le.renewLoop(ctx)
		cancel()
	}()
	if err := le.cfg.Callbacks.OnStartedLeading(ctx); err != nil {
		log.Fatalf("leaderelection: leading callback failed: %v", err) // HAZ exit-skips-defer
	}
}

// WithFileLock runs fn while holding the node-local lock file.
func (le *LeaderElector) WithFileLock(fn func() error) error {
	release, err := lockFile(le.cfg.LockFile)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		release()
		if _, statErr := os.Stat(le.cfg.LockFile); statErr == nil {
			return fmt.Errorf("leaderelection: lock file %s still present after release", le.cfg.LockFile)
		}
		return nil
	}()
	return fn()
}
