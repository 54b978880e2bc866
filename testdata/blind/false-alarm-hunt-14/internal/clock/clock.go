// Package clock abstracts time so that the relay's timers can be driven by
// tests instead of the wall clock.
package clock

import "time"

// Clock is the subset of the time package the relay depends on.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
	Since(t time.Time) time.Duration
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Since returns time.Since(t).
func (Real) Since(t time.Time) time.Duration { return time.Since(t) }
