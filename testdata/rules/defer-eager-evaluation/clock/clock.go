// Package clock keeps activity times for other packages of the module.
package clock

import (
	"sync/atomic"
	"time"
)

type Activity struct {
	last  atomic.Int64
	began time.Time
	spent time.Duration
}

// Touch only stores the time it is given.
func (a *Activity) Touch(t time.Time) { a.last.Store(t.UnixNano()) }

// Measure computes from the time it is given: a start time.
func (a *Activity) Measure(start time.Time) { a.spent += time.Since(start) }

// Begin stores the time it is given and measures nothing.
func (a *Activity) Begin(at time.Time) {
	a.began = at
}

// Stamp stores when the activity started.
func (a *Activity) Stamp(t time.Time) {
	a.began = t
}
