// Package fraud screens bids before they reach an auction: bid velocity,
// shill bidding from the seller's network, and credit limits. Checks are
// independent and run in parallel.
package fraud

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Bid is the view of a bid the checks get.
type Bid struct {
	LotID  string
	Seller string
	Bidder string
	Amount int64
	At     time.Time
	IP     string
}

// Check inspects one bid and returns a *Violation (or an infrastructure
// error) when it must be rejected.
type Check interface {
	Name() string
	Inspect(ctx context.Context, b Bid) error
}

// Violation is a rule a bid broke.
type Violation struct {
	Check  string
	Reason string
}

func (v *Violation) Error() string { return v.Check + ": " + v.Reason }

// IsViolation reports whether err contains a *Violation.
func IsViolation(err error) bool {
	var v *Violation
	return errors.As(err, &v)
}

// Screen runs every check in parallel and joins all their errors.
func Screen(ctx context.Context, b Bid, checks []Check) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(checks))
	for _, c := range checks {
		wg.Add(1)
		go func(c Check) {
			defer wg.Done()
			if err := c.Inspect(ctx, b); err != nil {
				errs <- fmt.Errorf("%s: %w", c.Name(), err)
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// FirstViolation returns as soon as one check fails. The channel has room
// for every check, so the checks still running can finish and exit.
func FirstViolation(ctx context.Context, b Bid, checks []Check) error {
	errs := make(chan error, len(checks))
	for _, c := range checks {
		go func(c Check) {
			errs <- c.Inspect(ctx, b)
		}(c)
	}
	for range checks {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// Quick screens b within budget: it returns at the first failure or when
// the budget is spent.
func Quick(ctx context.Context, b Bid, checks []Check, budget time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	errs := make(chan error, len(checks))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, c := range checks {
		go func(c Check) {
			errs <- c.Inspect(ctx, b)
		}(c)
	}
	for range checks {
		select {
		case err := <-errs:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ScreenBatch screens many bids concurrently and returns the rejected ones
// by index. Once ctx is done the remaining bids are left unscreened.
func ScreenBatch(ctx context.Context, bids []Bid, checks []Check) map[int]error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		rejected = make(map[int]error)
	)
	for i, b := range bids {
		wg.Add(1)
		go func(i int, b Bid) {
			if ctx.Err() != nil {
				return
			}
			if err := Screen(ctx, b, checks); err != nil {
				mu.Lock()
				rejected[i] = err
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}(i, b)
	}
	wg.Wait()
	return rejected
}

// InspectAll runs the checks in parallel and turns a panicking check into
// an error instead of crashing the engine.
func InspectAll(ctx context.Context, b Bid, checks []Check) error {
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func(i int, c Check) {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("check %s panicked: %v", c.Name(), r)
				}
			}()
			errs[i] = c.Inspect(ctx, b)
			wg.Done() // HAZ waitgroup-done-path
		}(i, c)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ScreenLimited screens bids with at most limit screenings in flight. The
// deferred receive returns the token this goroutine put in, so it never
// waits.
func ScreenLimited(ctx context.Context, bids []Bid, checks []Check, limit int) []error {
	if limit <= 0 {
		limit = 1
	}
	errs := make([]error, len(bids))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range bids {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = Screen(ctx, bids[i], checks)
		}(i)
	}
	wg.Wait()
	return errs
}

// SafeInspect runs one check, turning a panic into an error.
func SafeInspect(ctx context.Context, c Check, b Bid) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("check %s panicked: %v", c.Name(), r)
		}
	}()
	return c.Inspect(ctx, b)
}
