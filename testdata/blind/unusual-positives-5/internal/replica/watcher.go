package replica

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"example.com/up5/internal/guard"
)

// Event is one change from a feed.
type Event struct {
	Key     string
	Val     []byte
	Deleted bool
}

// Source yields batches of change events.
type Source interface {
	Poll(ctx context.Context) ([]Event, error)
}

// Watcher applies change events from a source to a store.
type Watcher struct {
	src     Source
	dst     Store
	every   time.Duration
	onEvent func(Event)
	notify  chan string

	mu     sync.Mutex
	closed bool
	paused bool
}

// NewWatcher returns a watcher polling src every interval.
func NewWatcher(src Source, dst Store, every time.Duration, onEvent func(Event)) *Watcher {
	return &Watcher{src: src, dst: dst, every: every, onEvent: onEvent, notify: make(chan string)}
}

// Notifications reports state changes ("paused", "closed").
func (w *Watcher) Notifications() <-chan string { return w.notify }

func (w *Watcher) apply(ev Event) error {
	if ev.Deleted {
		return w.dst.Put(ev.Key, nil)
	}
	return w.dst.Put(ev.Key, ev.Val)
}

// poll sends events to out until ctx is done or the source fails.
func (w *Watcher) poll(ctx context.Context, out chan<- Event) {
	defer close(out)
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		evs, err := w.src.Poll(ctx)
		if err != nil {
			return
		}
		for _, ev := range evs {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// safePoll is poll with its own panic protection.
func (w *Watcher) safePoll(ctx context.Context, out chan<- Event) (err error) {
	defer guard.Capture(&err)
	w.poll(ctx, out)
	return nil
}

// Run applies events until the feed ends; a panic becomes the returned error.
func (w *Watcher) Run(ctx context.Context) (err error) {
	defer guard.Capture(&err)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := make(chan Event, 64)
	go w.poll(ctx, events) // HAZ goroutine-outside-recover
	for ev := range events {
		if err := w.apply(ev); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// RunSupervised is Run with the polling goroutine protected by safePoll.
func (w *Watcher) RunSupervised(ctx context.Context) (err error) {
	defer guard.Capture(&err)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := make(chan Event, 64)
	pollErr := make(chan error, 1)
	go func() { pollErr <- w.safePoll(ctx, events) }()
	for ev := range events {
		if err := w.apply(ev); err != nil {
			return err
		}
	}
	return errors.Join(<-pollErr, ctx.Err())
}

// Dispatch hands events to the onEvent callback, each in its own goroutine.
func (w *Watcher) Dispatch(evs []Event) (n int) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("replica: dispatch stopped after %d events: %v", n, r)
		}
	}()
	for _, ev := range evs {
		if w.onEvent != nil {
			go w.onEvent(ev) // HAZ goroutine-outside-recover
		}
		n++
	}
	return n
}

// DispatchSafe is Dispatch with every callback goroutine protected.
func (w *Watcher) DispatchSafe(evs []Event) (n int) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("replica: dispatch stopped after %d events: %v", n, r)
		}
	}()
	for _, ev := range evs {
		if w.onEvent != nil {
			go func() {
				defer func() {
					if r := recover(); r != nil {
						log.Printf("replica: onEvent(%s): %v", ev.Key, r)
					}
				}()
				w.onEvent(ev)
			}()
		}
		n++
	}
	return n
}

// Close marks the watcher closed and tells the listener.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer func() { w.notify <- "closed" }() // HAZ defer-blocking-call
	if w.closed {
		return errors.New("replica: watcher already closed")
	}
	w.closed = true
	return nil
}

// Pause marks the watcher paused; the listener is told only if it is ready.
func (w *Watcher) Pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer func() {
		select {
		case w.notify <- "paused":
		default:
		}
	}()
	w.paused = true
}
