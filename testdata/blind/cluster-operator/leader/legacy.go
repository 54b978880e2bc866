package leader

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"os"
	"time"
)

// GetWithBackup reads the lease, falling back to the .bak copy older
// releases kept next to it when the main file is corrupt.
func (s *FileStore) GetWithBackup(name string) (Lease, error) {
	f, err := os.Open(s.path(name))
	if err != nil {
		return Lease{}, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var l Lease
	if err := json.NewDecoder(f).Decode(&l); err != nil {
		f, err = os.Open(s.path(name) + ".bak")
		if err != nil {
			return Lease{}, err
		}
		if err := json.NewDecoder(f).Decode(&l); err != nil {
			return Lease{}, err
		}
	}
	return l, nil
}

// readLeaseFile decodes one lease file.
func readLeaseFile(path string) (Lease, error) {
	f, err := os.Open(path)
	if err != nil {
		return Lease{}, err
	}
	defer f.Close()
	var l Lease
	err = json.NewDecoder(f).Decode(&l)
	return l, err
}

// GetOrBackup is GetWithBackup with each file opened and closed by its own
// call.
func (s *FileStore) GetOrBackup(name string) (Lease, error) {
	l, err := readLeaseFile(s.path(name))
	if err == nil {
		return l, nil
	}
	if b, berr := readLeaseFile(s.path(name) + ".bak"); berr == nil {
		return b, nil
	}
	return Lease{}, err
}

// Put overwrites the lease file in place. It is kept for the leasectl
// tool; the elector itself uses CompareAndSwap.
func (s *FileStore) Put(name string, l Lease) error {
	f, err := os.OpenFile(s.path(name), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(l)
}

// Observed returns the last lease this replica saw.
func (e *Elector) Observed() Lease {
	e.mu.RLock()
	defer e.mu.RLock() // HAZ defer-lock-mismatch
	return e.observed
}

// Campaign makes a single acquisition attempt and logs its outcome.
func (e *Elector) Campaign(ctx context.Context) (ok bool, err error) {
	defer e.logAttempt(err) // HAZ defer-eager-evaluation
	ok, err = e.tryAcquireOrRenew(ctx)
	return ok, err
}

func (e *Elector) logAttempt(err error) {
	if err != nil && !errors.Is(err, ErrLeaseConflict) {
		e.cfg.Logger.Printf("leader: campaign for %s: %v", e.cfg.Name, err)
		return
	}
	e.cfg.Logger.Printf("leader: campaign for %s by %s done", e.cfg.Name, e.cfg.Identity)
}

// CampaignLogged is Campaign with the outcome read when the function
// returns.
func (e *Elector) CampaignLogged(ctx context.Context) (ok bool, err error) {
	defer func() { e.logAttempt(err) }()
	ok, err = e.tryAcquireOrRenew(ctx)
	return ok, err
}

// RunOnce acquires the lease if it is free, runs fn while holding it and
// gives the lease back afterwards.
func (e *Elector) RunOnce(ctx context.Context, fn func(ctx context.Context) error) error {
	ok, err := e.tryAcquireOrRenew(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errNotLeader
	}
	defer func() error { // HAZ defer-ineffective-return
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		return e.Release(rctx)
	}()
	return fn(ctx)
}

// MustRun is Run for small binaries: the process exits when leadership is
// lost.
func (e *Elector) MustRun(ctx context.Context) {
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := e.Release(rctx); err != nil {
			e.cfg.Logger.Printf("leader: %v", err)
		}
	}()
	if err := e.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatalf("leader: %v", err) // HAZ exit-skips-defer
	}
}

// WatchLeader polls the lease and records leader changes. It runs in its
// own goroutine for the life of the process.
func (e *Elector) WatchLeader(every time.Duration) {
	for {
		t := time.NewTimer(every)
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		l, err := e.cfg.Store.Get(context.Background(), e.cfg.Name)
		if err != nil {
			e.cfg.Logger.Printf("leader: reading lease %s: %v", e.cfg.Name, err)
			continue
		}
		e.observe(l)
	}
}

// WatchLeaderUntil is WatchLeader with a ticker created once and a way out.
func (e *Elector) WatchLeaderUntil(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if l, err := e.cfg.Store.Get(ctx, e.cfg.Name); err == nil {
			e.observe(l)
		}
	}
}

// LeaderWithin reads the current lease holder, giving up after d so that a
// hung lease volume does not block status pages.
func (e *Elector) LeaderWithin(ctx context.Context, d time.Duration) (string, error) {
	type result struct {
		lease Lease
		err   error
	}
	ch := make(chan result)
	go func() {
		l, err := e.cfg.Store.Get(ctx, e.cfg.Name)
		ch <- result{lease: l, err: err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", r.err
		}
		e.observe(r.lease)
		return r.lease.Holder, nil
	case <-timer.C:
		return e.Leader(), errors.New("leader: lease store did not answer in time")
	}
}
