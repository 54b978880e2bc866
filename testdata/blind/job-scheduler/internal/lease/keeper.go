package lease

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Keeper renews leases in the background.
type Keeper struct {
	m        *Manager
	interval time.Duration
	log      *slog.Logger
}

// NewKeeper renews at a third of the TTL unless interval is set.
func NewKeeper(m *Manager, interval time.Duration, log *slog.Logger) *Keeper {
	if interval <= 0 {
		interval = m.TTL() / 3
	}
	return &Keeper{m: m, interval: interval, log: log}
}

// Hold keeps l renewed until ctx ends (and then releases it) or the lease is
// lost, whichever comes first.
func (k *Keeper) Hold(ctx context.Context, l Lease) error {
	lost := make(chan error)
	go func() {
		t := time.NewTicker(k.interval)
		defer t.Stop()
		for range t.C {
			if _, err := k.m.Renew(l.Name, l.Token); err != nil {
				lost <- err // HAZ goroutine-blocked-send
				return
			}
		}
	}()
	select {
	case err := <-lost:
		k.log.Warn("lease lost", "lease", l.Name, "err", err)
		return err
	case <-ctx.Done():
		k.m.Release(l.Name, l.Token)
		return context.Cause(ctx)
	}
}

// Run is Hold with the renewal goroutine tied to the call: it is stopped
// and joined before Run returns, on every path.
func (k *Keeper) Run(ctx context.Context, l Lease) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lost := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(k.interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := k.m.Renew(l.Name, l.Token); err != nil {
				lost <- err
				return
			}
		}
	})
	var err error
	select {
	case err = <-lost:
		k.log.Warn("lease lost", "lease", l.Name, "err", err)
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	cancel()
	wg.Wait()
	k.m.Release(l.Name, l.Token)
	return err
}

// Watch returns a context that is cancelled when l is lost. The renewal
// goroutine exits when parent ends; stop releases the lease early.
func (k *Keeper) Watch(parent context.Context, l Lease) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	go func() {
		t := time.NewTicker(k.interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				k.m.Release(l.Name, l.Token)
				return
			case <-t.C:
				if _, err := k.m.Renew(l.Name, l.Token); err != nil {
					cancel(err)
					return
				}
			}
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// RenewAll renews the given leases concurrently and returns the names of
// the ones that were lost.
func (k *Keeper) RenewAll(held []Lease) []string {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lost []string
	for _, l := range held {
		wg.Add(1)
		go func() {
			if _, err := k.m.Renew(l.Name, l.Token); err != nil {
				mu.Lock()
				lost = append(lost, l.Name)
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return lost
}

// RenewEach is RenewAll written with WaitGroup.Go, which marks the
// goroutine done on every path.
func (k *Keeper) RenewEach(held []Lease) []string {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lost []string
	for _, l := range held {
		wg.Go(func() {
			if _, err := k.m.Renew(l.Name, l.Token); err != nil {
				mu.Lock()
				defer mu.Unlock()
				lost = append(lost, l.Name)
			}
		})
	}
	wg.Wait()
	return lost
}

// ExpireLoop drops expired leases every interval until ctx ends and reports
// each expired name on the returned channel, which is closed at the end.
func (k *Keeper) ExpireLoop(ctx context.Context, interval time.Duration) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			for _, name := range k.m.Expire() {
				select {
				case out <- name:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
