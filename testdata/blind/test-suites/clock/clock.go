// Package clock abstracts time so that the service and its tests share the
// same timing logic. Production code uses Real; tests use Fake and advance it
// by hand.
package clock

import (
	"sort"
	"sync"
	"time"
)

// Clock is the subset of the time package the service depends on.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
	Sleep(d time.Duration)
}

// Real is a Clock backed by the time package.
type Real struct{}

// Now returns the current wall-clock time.
func (Real) Now() time.Time { return time.Now() }

// After is time.After.
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Sleep is time.Sleep.
func (Real) Sleep(d time.Duration) { time.Sleep(d) }

type waiter struct {
	at time.Time
	ch chan time.Time
}

// Fake is a manually advanced clock for tests. The zero value is not usable;
// call NewFake.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

// NewFake returns a fake clock frozen at start.
func NewFake(start time.Time) *Fake {
	if start.IsZero() {
		start = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	return &Fake{now: start}
}

// Now returns the fake's current time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// After returns a channel that receives once the fake has been advanced by d.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- f.now
		return ch
	}
	f.waiters = append(f.waiters, waiter{at: f.now.Add(d), ch: ch})
	return ch
}

// Sleep blocks until another goroutine advances the fake by d.
func (f *Fake) Sleep(d time.Duration) {
	<-f.After(d)
}

// Advance moves the clock forward and fires every waiter that is due.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.fireLocked()
}

// fireLocked delivers the time to every due waiter. f.mu must be held. Each
// waiter channel has a buffer of one and receives exactly once, so the sends
// never block.
func (f *Fake) fireLocked() {
	sort.Slice(f.waiters, func(i, j int) bool {
		return f.waiters[i].at.Before(f.waiters[j].at)
	})
	keep := f.waiters[:0]
	for _, w := range f.waiters {
		if w.at.After(f.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- w.at
	}
	f.waiters = keep
}

// Set jumps the clock to t, firing waiters on the way. Moving backwards is a
// programming error in the test.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t.Before(f.now) {
		panic("clock: Fake.Set moves time backwards")
	}
	f.Advance(t.Sub(f.now)) // HAZ lock-reentry-under-defer
}

// Pending reports how many waiters have not fired yet.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// BlockUntil polls until at least n waiters are registered. Tests call it
// before Advance so that they do not race the code under test.
func (f *Fake) BlockUntil(n int) {
	for f.Pending() < n {
		time.Sleep(time.Millisecond)
	}
}
