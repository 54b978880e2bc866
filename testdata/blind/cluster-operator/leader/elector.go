package leader

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"
)

var errNotLeader = errors.New("leader: lease is held by another replica")

// Callbacks are invoked on leadership changes.
type Callbacks struct {
	// OnStartedLeading runs in its own goroutine; ctx is cancelled when
	// leadership is lost.
	OnStartedLeading func(ctx context.Context)
	OnStoppedLeading func()
	OnNewLeader      func(identity string)
}

// Config configures an Elector.
type Config struct {
	Name          string
	Identity      string
	Store         Store
	LeaseDuration time.Duration
	RenewPeriod   time.Duration
	RetryPeriod   time.Duration
	Callbacks     Callbacks
	Logger        *log.Logger
}

// Elector campaigns for a lease and keeps it renewed while leading.
type Elector struct {
	cfg Config
	now func() time.Time

	mu       sync.RWMutex
	observed Lease
	leading  bool
}

// New validates cfg and returns an Elector.
func New(cfg Config) (*Elector, error) {
	switch {
	case cfg.Name == "" || cfg.Identity == "":
		return nil, errors.New("leader: name and identity are required")
	case cfg.Store == nil:
		return nil, errors.New("leader: store is required")
	case cfg.RenewPeriod <= 0 || cfg.LeaseDuration <= cfg.RenewPeriod:
		return nil, fmt.Errorf("leader: lease duration %v must exceed renew period %v", cfg.LeaseDuration, cfg.RenewPeriod)
	}
	if cfg.RetryPeriod <= 0 {
		cfg.RetryPeriod = cfg.RenewPeriod
	}
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	return &Elector{cfg: cfg, now: time.Now}, nil
}

// IsLeader reports whether this replica currently holds the lease.
func (e *Elector) IsLeader() bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.leading
}

// Leader returns the identity of the last observed lease holder.
func (e *Elector) Leader() string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.observed.Holder
}

// Run campaigns until the lease is acquired, starts OnStartedLeading and
// keeps renewing until ctx is cancelled or a renewal fails.
func (e *Elector) Run(ctx context.Context) error {
	if err := e.acquire(ctx); err != nil {
		return err
	}
	leadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	lost := make(chan error)
	defer close(lost) // HAZ defer-close-chan-with-sender
	go e.renewLoop(leadCtx, lost)
	e.startLeading(leadCtx)

	select {
	case <-ctx.Done():
		e.stopLeading()
		return ctx.Err()
	case err := <-lost:
		e.stopLeading()
		return fmt.Errorf("leader: lost lease %s: %w", e.cfg.Name, err)
	}
}

// acquire retries every RetryPeriod until the lease is ours.
func (e *Elector) acquire(ctx context.Context) error {
	t := time.NewTicker(e.cfg.RetryPeriod)
	defer t.Stop()
	for {
		ok, err := e.tryAcquireOrRenew(ctx)
		if err != nil && !errors.Is(err, ErrLeaseConflict) {
			e.cfg.Logger.Printf("leader: acquiring %s: %v", e.cfg.Name, err)
		}
		if ok {
			e.cfg.Logger.Printf("leader: %s acquired lease %s", e.cfg.Identity, e.cfg.Name)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// tryAcquireOrRenew takes the lease if it is free or ours.
func (e *Elector) tryAcquireOrRenew(ctx context.Context) (bool, error) {
	now := e.now()
	cur, err := e.cfg.Store.Get(ctx, e.cfg.Name)
	if err != nil {
		return false, err
	}
	if cur.Holder != e.cfg.Identity && !cur.Expired(now) {
		e.observe(cur)
		return false, nil
	}
	next := Lease{
		Holder:      e.cfg.Identity,
		AcquiredAt:  cur.AcquiredAt,
		RenewedAt:   now,
		Duration:    e.cfg.LeaseDuration,
		Transitions: cur.Transitions,
	}
	if cur.Holder != e.cfg.Identity {
		next.AcquiredAt = now
		next.Transitions++
	}
	if err := e.cfg.Store.CompareAndSwap(ctx, e.cfg.Name, cur, next); err != nil {
		return false, err
	}
	e.observe(next)
	return true, nil
}

// renewLoop renews the lease every RenewPeriod and reports the first
// failure on lost.
func (e *Elector) renewLoop(ctx context.Context, lost chan<- error) {
	ticker := time.NewTicker(e.cfg.RenewPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if err := e.renew(ctx); err != nil {
			select {
			case lost <- err:
			case <-ctx.Done():
			}
			return
		}
	}
}

// renew extends the lease we hold.
func (e *Elector) renew(ctx context.Context) error {
	e.mu.Lock() // HAZ lock-leaked-on-return
	cur := e.observed
	if cur.Holder != e.cfg.Identity {
		return errNotLeader
	}
	e.mu.Unlock()

	next := cur
	next.RenewedAt = e.now()
	if err := e.cfg.Store.CompareAndSwap(ctx, e.cfg.Name, cur, next); err != nil {
		return err
	}
	e.observe(next)
	return nil
}

// observe records the latest lease and announces leader changes.
func (e *Elector) observe(l Lease) {
	e.mu.Lock()
	changed := e.observed.Holder != l.Holder
	e.observed = l
	e.leading = l.Holder == e.cfg.Identity
	e.mu.Unlock()
	if changed && e.cfg.Callbacks.OnNewLeader != nil {
		e.cfg.Callbacks.OnNewLeader(l.Holder)
	}
}

// startLeading runs OnStartedLeading in the background.
func (e *Elector) startLeading(ctx context.Context) {
	if e.cfg.Callbacks.OnStartedLeading == nil {
		return
	}
	go func() {
		defer func() { logPanic(e.cfg.Logger, "OnStartedLeading") }()
		e.cfg.Callbacks.OnStartedLeading(ctx)
	}()
}

// stopLeading clears the leading flag and runs OnStoppedLeading.
func (e *Elector) stopLeading() {
	e.mu.Lock()
	e.leading = false
	e.mu.Unlock()
	if cb := e.cfg.Callbacks.OnStoppedLeading; cb != nil {
		cb()
	}
}

// logPanic logs a panic from a leadership callback with its stack.
func logPanic(logger *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("leader: panic in %s: %v\n%s", what, r, debug.Stack())
	}
}

// Release gives the lease up so that another replica can take over without
// waiting for it to expire.
func (e *Elector) Release(ctx context.Context) error {
	e.mu.RLock()
	cur := e.observed
	e.mu.RUnlock()
	if cur.Holder != e.cfg.Identity {
		return nil
	}
	next := cur
	next.Holder = ""
	next.RenewedAt = e.now()
	if err := e.cfg.Store.CompareAndSwap(ctx, e.cfg.Name, cur, next); err != nil {
		return fmt.Errorf("leader: release %s: %w", e.cfg.Name, err)
	}
	e.observe(next)
	return nil
}
