// Package wheel is a hashed timer wheel: O(1) scheduling of many one-shot
// timeouts at a fixed tick resolution.
package wheel

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"time"
)

var (
	ErrNegative = errors.New("wheel: negative delay")
	ErrUnknown  = errors.New("wheel: unknown id")
)

type entry struct {
	id     string
	rounds int
	slot   int
}

// Wheel fires ids after their delay, rounded up to the tick.
type Wheel struct {
	tick time.Duration
	fire func(id string)

	mu    sync.Mutex
	slots [][]*entry
	pos   int
	byID  map[string]*entry

	done chan struct{}
	stop func()
}

// New creates a wheel with size slots of tick each.
func New(tick time.Duration, size int, fire func(id string)) *Wheel {
	w := &Wheel{
		tick:  tick,
		fire:  fire,
		slots: make([][]*entry, max(size, 1)),
		byID:  make(map[string]*entry),
		done:  make(chan struct{}),
	}
	w.stop = sync.OnceFunc(func() { close(w.done) })
	return w
}

// Schedule arranges for id to fire after d.
func (w *Wheel) Schedule(id string, d time.Duration) error {
	if d < 0 {
		return ErrNegative
	}
	w.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := w.byID[id]; dup {
		return fmt.Errorf("wheel: %q already scheduled", id)
	}
	w.insertLocked(id, d)
	w.mu.Unlock()
	return nil
}

func (w *Wheel) insertLocked(id string, d time.Duration) {
	ticks := max(int((d+w.tick-1)/w.tick), 1)
	e := &entry{
		id:     id,
		rounds: (ticks - 1) / len(w.slots),
		slot:   (w.pos + ticks) % len(w.slots),
	}
	w.slots[e.slot] = append(w.slots[e.slot], e)
	w.byID[id] = e
}

func (w *Wheel) removeLocked(e *entry) {
	delete(w.byID, e.id)
	w.slots[e.slot] = slices.DeleteFunc(w.slots[e.slot], func(x *entry) bool { return x == e })
}

// Cancel removes id; it reports whether id was pending.
func (w *Wheel) Cancel(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.byID[id]
	if !ok {
		return false
	}
	w.removeLocked(e)
	return true
}

// Reschedule moves a pending id to fire after d from now.
func (w *Wheel) Reschedule(id string, d time.Duration) error {
	if d < 0 {
		return ErrNegative
	}
	w.mu.Lock()
	e, ok := w.byID[id]
	if !ok {
		w.mu.Unlock()
		return fmt.Errorf("%w %q", ErrUnknown, id)
	}
	w.removeLocked(e)
	w.insertLocked(id, d)
	w.mu.Unlock()
	return nil
}

// Len is the number of pending ids.
func (w *Wheel) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.byID)
}

// Pending yields the pending ids in sorted order. The set is captured when
// iteration starts; the lock is not held while the consumer runs.
func (w *Wheel) Pending() iter.Seq[string] {
	return func(yield func(string) bool) {
		w.mu.Lock()
		ids := slices.Sorted(maps.Keys(w.byID))
		w.mu.Unlock()
		for _, id := range ids {
			if !yield(id) {
				return
			}
		}
	}
}

// advance moves the wheel one slot and returns the ids that are due.
func (w *Wheel) advance() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pos = (w.pos + 1) % len(w.slots)
	var due []string
	kept := w.slots[w.pos][:0]
	for _, e := range w.slots[w.pos] {
		if e.rounds > 0 {
			e.rounds--
			kept = append(kept, e)
			continue
		}
		due = append(due, e.id)
		delete(w.byID, e.id)
	}
	clear(w.slots[w.pos][len(kept):])
	w.slots[w.pos] = kept
	return due
}

// Run turns the wheel until ctx ends or Stop is called. Fire callbacks run
// on the Run goroutine without the wheel's lock held.
func (w *Wheel) Run(ctx context.Context) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.done:
			return
		case <-t.C:
			for _, id := range w.advance() {
				w.fire(id)
			}
		}
	}
}

// Stop ends Run; it is safe to call more than once.
func (w *Wheel) Stop() { w.stop() }
