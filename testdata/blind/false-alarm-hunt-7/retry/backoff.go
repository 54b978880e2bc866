// Package retry implements retry loops with pluggable backoff policies.
package retry

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Backoff yields the delay before each retry. Next returns ok=false when
// no more attempts should be made.
type Backoff interface {
	Next(attempt int) (time.Duration, bool)
}

// BackoffFunc adapts a function to Backoff.
type BackoffFunc func(attempt int) (time.Duration, bool)

// Next implements Backoff.
func (f BackoffFunc) Next(attempt int) (time.Duration, bool) { return f(attempt) }

// Constant waits d between attempts, up to max attempts.
func Constant(d time.Duration, max int) Backoff {
	return BackoffFunc(func(attempt int) (time.Duration, bool) {
		return d, attempt < max
	})
}

// Exponential doubles the delay from base up to cap, for at most max
// attempts.
type Exponential struct {
	Base       time.Duration
	Cap        time.Duration
	Multiplier float64
	Max        int
}

// Next implements Backoff.
func (e Exponential) Next(attempt int) (time.Duration, bool) {
	if e.Max > 0 && attempt >= e.Max {
		return 0, false
	}
	m := e.Multiplier
	if m <= 1 {
		m = 2
	}
	d := float64(e.Base) * math.Pow(m, float64(attempt))
	if e.Cap > 0 && d > float64(e.Cap) {
		d = float64(e.Cap)
	}
	return time.Duration(d), true
}

// jitter wraps a backoff and randomises each delay.
type jitter struct {
	inner Backoff
	mu    sync.Mutex
	rng   *rand.Rand
	frac  float64
}

// WithJitter spreads each delay of b by up to frac in either direction.
func WithJitter(b Backoff, frac float64, seed uint64) Backoff {
	return &jitter{inner: b, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), frac: frac}
}

// Next implements Backoff.
func (j *jitter) Next(attempt int) (time.Duration, bool) {
	d, ok := j.inner.Next(attempt)
	if !ok || d <= 0 {
		return d, ok
	}
	j.mu.Lock()
	r := j.rng.Float64()
	j.mu.Unlock()
	spread := (r*2 - 1) * j.frac * float64(d)
	return time.Duration(float64(d) + spread), true
}

// MaxElapsed stops b once total would exceed limit.
func MaxElapsed(b Backoff, limit time.Duration) Backoff {
	var mu sync.Mutex
	var total time.Duration
	return BackoffFunc(func(attempt int) (time.Duration, bool) {
		d, ok := b.Next(attempt)
		if !ok {
			return 0, false
		}
		mu.Lock()
		defer mu.Unlock()
		if attempt == 0 {
			total = 0
		}
		if total+d > limit {
			return 0, false
		}
		total += d
		return d, true
	})
}

// Schedule lists the delays b would produce, for logging a policy.
func Schedule(b Backoff, limit int) []time.Duration {
	var out []time.Duration
	for i := 0; i < limit; i++ {
		d, ok := b.Next(i)
		if !ok {
			break
		}
		out = append(out, d)
	}
	return out
}
