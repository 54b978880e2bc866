// Package backoff computes retry delays with exponential growth and jitter.
package backoff

import (
	"context"
	"math/rand"
	"sync"
	"time"
)

// Policy describes an exponential backoff with optional jitter.
type Policy struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
	// Jitter is the fraction of the delay that is randomised, in [0, 1].
	Jitter float64
}

// Default is the policy used when a client does not configure one.
var Default = Policy{
	Initial:    100 * time.Millisecond,
	Max:        20 * time.Second,
	Multiplier: 2,
	Jitter:     0.2,
}

var (
	rngMu sync.Mutex
	rng   = rand.New(rand.NewSource(time.Now().UnixNano()))
)

func randFloat() float64 {
	rngMu.Lock()
	defer rngMu.Unlock() // ok: no reentry
	return rng.Float64()
}

// Delay returns the wait before retry number attempt (0-based).
func (p Policy) Delay(attempt int) time.Duration {
	d := float64(p.Initial)
	mult := p.Multiplier
	if mult < 1 {
		mult = 1
	}
	for i := 0; i < attempt; i++ {
		d *= mult
		if p.Max > 0 && d > float64(p.Max) {
			d = float64(p.Max)
			break
		}
	}
	if p.Jitter > 0 {
		spread := d * p.Jitter
		d = d - spread + 2*spread*randFloat()
	}
	if d < 0 {
		d = 0
	}
	return time.Duration(d)
}

// Sleep waits for d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop() // ok: Stop never blocks
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Retrier counts attempts against a policy.
type Retrier struct {
	Policy  Policy
	Max     int
	attempt int
}

// Next waits for the next attempt and reports whether one is allowed.
func (r *Retrier) Next(ctx context.Context) bool {
	if r.attempt >= r.Max {
		return false
	}
	if r.attempt > 0 {
		if err := Sleep(ctx, r.Policy.Delay(r.attempt-1)); err != nil {
			return false
		}
	}
	r.attempt++
	return true
}

// Attempt returns the number of attempts made so far.
func (r *Retrier) Attempt() int { return r.attempt }
