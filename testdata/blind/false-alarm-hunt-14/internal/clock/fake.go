package clock

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

type timer struct {
	id   int
	when time.Time
	ch   chan time.Time
}

// Fake is a manually advanced clock for tests. It is safe for concurrent use.
type Fake struct {
	mu     sync.RWMutex
	now    time.Time
	nextID int
	timers []*timer
}

// NewFake returns a fake clock frozen at start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start}
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.now
}

// Since returns the fake time elapsed since t.
func (f *Fake) Since(t time.Time) time.Duration {
	return f.Now().Sub(t)
}

// After returns a channel that receives the fake time once the clock has
// been advanced by at least d.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	ch, _ := f.AfterID(d)
	return ch
}

// AfterID is After plus an id that can be passed to Stop. Every timer
// channel has room for its single value, so Advance never blocks on a
// receiver that has gone away.
func (f *Fake) AfterID(d time.Duration) (<-chan time.Time, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	tm := &timer{id: f.nextID, when: f.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		tm.ch <- f.now
		return tm.ch, tm.id
	}
	f.timers = append(f.timers, tm)
	return tm.ch, tm.id
}

// Advance moves the clock forward by d and fires every timer that became
// due, in deadline order. The timers are fired after the lock is released.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	f.now = f.now.Add(d)
	now := f.now
	var due, keep []*timer
	for _, tm := range f.timers {
		if tm.when.After(now) {
			keep = append(keep, tm)
		} else {
			due = append(due, tm)
		}
	}
	f.timers = keep
	f.mu.Unlock()

	sort.Slice(due, func(i, j int) bool { return due[i].when.Before(due[j].when) })
	for _, tm := range due {
		tm.ch <- tm.when
	}
	return now
}

// Set moves the clock to t, which must not be before the current fake time.
func (f *Fake) Set(t time.Time) {
	d := t.Sub(f.Now())
	if d < 0 {
		panic(fmt.Sprintf("clock: Set(%s) moves time backwards", t.Format(time.RFC3339)))
	}
	f.Advance(d)
}

// Stop cancels the timer with the given id. It reports whether the timer was
// still pending.
func (f *Fake) Stop(id int) bool {
	f.mu.Lock() // HAZ lock-leaked-on-return
	for i, tm := range f.timers {
		if tm.id == id {
			f.timers = append(f.timers[:i], f.timers[i+1:]...)
			return true
		}
	}
	f.mu.Unlock()
	return false
}

// Pending returns the number of timers that have not fired yet.
func (f *Fake) Pending() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.timers)
}

// String describes the clock for test failure messages.
func (f *Fake) String() string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return fmt.Sprintf("fake clock at %s (%d pending)", f.now.Format(time.RFC3339), len(f.timers))
}

// Summary describes the clock and its pending timers for debug logs.
func (f *Fake) Summary() string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if len(f.timers) == 0 {
		return "fake clock at " + f.now.Format(time.RFC3339) + ", idle"
	}
	next := f.timers[0].when
	for _, tm := range f.timers[1:] {
		if tm.when.Before(next) {
			next = tm.when
		}
	}
	return fmt.Sprintf("fake clock at %s, %d pending, next in %s",
		f.now.Format(time.RFC3339), f.Pending(), next.Sub(f.now)) // HAZ lock-reentry-under-defer
}
