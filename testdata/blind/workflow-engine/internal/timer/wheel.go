// Package timer schedules durable workflow timers (sleep, deadlines, retry
// backoff) and delivers them on a channel when they fire.
package timer

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

var (
	ErrStopped   = errors.New("timer: wheel stopped")
	ErrDuplicate = errors.New("timer: duplicate timer id")
)

// Fired is delivered when a timer expires.
type Fired struct {
	ID         string    `json:"id"`
	WorkflowID string    `json:"wf"`
	At         time.Time `json:"at"`
}

type entry struct {
	wf string
	at time.Time
	t  *time.Timer
}

// Wheel owns a set of pending timers. Fired timers are delivered on C; when
// the consumer falls behind, deliveries are dropped and counted (the history
// log is the source of truth, so dropped timers are re-armed on recovery).
type Wheel struct {
	mu      sync.Mutex
	entries map[string]*entry
	fired   chan Fired
	stopped bool
	onFire  func(Fired)
	dropped atomic.Uint64
}

// NewWheel returns a wheel whose delivery channel buffers up to buffer timers.
func NewWheel(buffer int) *Wheel {
	return &Wheel{entries: make(map[string]*entry), fired: make(chan Fired, buffer)}
}

// C is the delivery channel.
func (w *Wheel) C() <-chan Fired { return w.fired }

// OnFire installs a hook that runs for each timer before it is delivered.
func (w *Wheel) OnFire(hook func(Fired)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onFire = hook
}

// Schedule arms a timer. The returned function cancels it.
func (w *Wheel) Schedule(id, workflowID string, at time.Time) (cancel func(), err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return nil, ErrStopped
	}
	if _, dup := w.entries[id]; dup {
		return nil, ErrDuplicate
	}
	f := Fired{ID: id, WorkflowID: workflowID, At: at}
	w.entries[id] = &entry{
		wf: workflowID,
		at: at,
		t:  time.AfterFunc(time.Until(at), func() { w.fire(f) }),
	}
	return func() { w.Cancel(id) }, nil
}

// ScheduleMany arms several timers at once: either all of them or, if one
// ID is already taken, none.
func (w *Wheel) ScheduleMany(timers []Fired) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range timers {
		if _, dup := w.entries[f.ID]; dup {
			return fmt.Errorf("%w: %s", ErrDuplicate, f.ID)
		}
	}
	for _, f := range timers {
		if _, err := w.Schedule(f.ID, f.WorkflowID, f.At); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

func (w *Wheel) fire(f Fired) {
	w.mu.Lock()
	_, live := w.entries[f.ID]
	delete(w.entries, f.ID)
	stopped, hook := w.stopped, w.onFire
	w.mu.Unlock()

	if !live || stopped {
		return
	}
	if hook != nil {
		w.runHook(hook, f)
	}
	select {
	case w.fired <- f:
	default:
		w.dropped.Add(1)
	}
}

// runHook keeps a misbehaving hook from taking the timer goroutine down.
func (w *Wheel) runHook(hook func(Fired), f Fired) {
	defer recover() // HAZ recover-ineffective
	hook(f)
}

// Cancel disarms a pending timer.
func (w *Wheel) Cancel(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.entries[id]
	if !ok {
		return false
	}
	e.t.Stop()
	delete(w.entries, id)
	return true
}

// Reset moves a pending timer to a new deadline. It fails if the timer has
// already fired or is firing right now.
func (w *Wheel) Reset(id string, at time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.entries[id]
	if !ok || !e.t.Stop() {
		return false
	}
	e.at = at
	e.t.Reset(time.Until(at))
	return true
}

// Shift moves every pending timer by d, to correct for a clock step.
func (w *Wheel) Shift(d time.Duration) error {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if w.stopped {
		return ErrStopped
	}
	for _, e := range w.entries {
		if e.t.Stop() {
			e.at = e.at.Add(d)
			e.t.Reset(time.Until(e.at))
		}
	}
	w.mu.Unlock()
	return nil
}

// Pending lists the armed timers ordered by deadline.
func (w *Wheel) Pending() []Fired {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Fired, 0, len(w.entries))
	for id, e := range w.entries {
		out = append(out, Fired{ID: id, WorkflowID: e.wf, At: e.at})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// Stop disarms every timer. The delivery channel is deliberately left open:
// a timer callback may be between its liveness check and its send.
func (w *Wheel) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.stopped = true
	for id, e := range w.entries {
		e.t.Stop()
		delete(w.entries, id)
	}
}
