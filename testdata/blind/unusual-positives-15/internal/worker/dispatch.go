package worker

import "fmt"

// Kind selects the handler and the concurrency slot class of a task.
type Kind int

// Task kinds.
const (
	KindFetch Kind = iota
	KindIndex
	KindNoop
)

// slots is a counting semaphore.
type slots struct {
	ch chan struct{}
}

func newSlots(n int) *slots { return &slots{ch: make(chan struct{}, n)} }

// acquire takes a slot and returns the func that gives it back.
func (s *slots) acquire() func() {
	s.ch <- struct{}{}
	return func() {
		select {
		case <-s.ch:
		default:
		}
	}
}

// Dispatcher routes tasks to handlers, limiting how many of each kind run.
type Dispatcher struct {
	fetch    *slots
	index    *slots
	handlers map[Kind]func(Task) error
}

// NewDispatcher returns a dispatcher allowing nFetch concurrent fetches and
// nIndex concurrent index updates.
func NewDispatcher(nFetch, nIndex int, handlers map[Kind]func(Task) error) *Dispatcher {
	return &Dispatcher{fetch: newSlots(nFetch), index: newSlots(nIndex), handlers: handlers}
}

func (d *Dispatcher) handler(k Kind) (func(Task) error, error) {
	h, ok := d.handlers[k]
	if !ok || h == nil {
		return nil, fmt.Errorf("worker: no handler for kind %d", k)
	}
	return h, nil
}

// Dispatch runs t while holding a slot of its kind.
func (d *Dispatcher) Dispatch(t Task) error {
	var release func()
	switch t.Kind {
	case KindFetch:
		release = d.fetch.acquire()
	case KindIndex:
		release = d.index.acquire()
	case KindNoop:
		// nothing to reserve
	}
	defer release() // HAZ defer-nil-func
	h, err := d.handler(t.Kind)
	if err != nil {
		return err
	}
	return h(t)
}

// DispatchChecked is Dispatch with a no-op release for kinds that take no
// slot, so the deferred value is never nil.
func (d *Dispatcher) DispatchChecked(t Task) error {
	release := func() {}
	switch t.Kind {
	case KindFetch:
		release = d.fetch.acquire()
	case KindIndex:
		release = d.index.acquire()
	}
	defer release()
	h, err := d.handler(t.Kind)
	if err != nil {
		return err
	}
	return h(t)
}
