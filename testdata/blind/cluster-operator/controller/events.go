package controller

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"time"

	"example.com/operator/internal/runtimeutil"
	"example.com/operator/metrics"
)

var errSinkClosed = errors.New("controller: event sink closed")

// Event is a Kubernetes-style event about an object. Repeats of the same
// reason are aggregated into one event with a count.
type Event struct {
	Key     string    `json:"key"`
	Type    string    `json:"type"` // Normal or Warning
	Reason  string    `json:"reason"`
	Message string    `json:"message"`
	Count   int       `json:"count"`
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
}

// Recorder aggregates events and hands them to a background writer.
type Recorder struct {
	mu      sync.Mutex
	events  map[string]*Event
	out     chan Event
	slots   chan struct{}
	bufs    sync.Pool
	metrics *metrics.Registry
	logger  *log.Logger
}

// NewRecorder returns a recorder with room for 256 pending events.
func NewRecorder(reg *metrics.Registry, logger *log.Logger) *Recorder {
	return &Recorder{
		events:  make(map[string]*Event),
		out:     make(chan Event, 256),
		slots:   make(chan struct{}, 8),
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
		metrics: reg,
		logger:  logger,
	}
}

// Eventf records an event; it never blocks the caller.
func (r *Recorder) Eventf(key, typ, reason, format string, args ...any) {
	now := time.Now()
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	id := key + "/" + reason
	ev, ok := r.events[id]
	if !ok {
		ev = &Event{Key: key, Type: typ, Reason: reason, First: now}
		r.events[id] = ev
	}
	ev.Count++
	ev.Last = now
	ev.Message = msg
	snapshot := *ev
	r.mu.Unlock()

	select {
	case r.out <- snapshot:
	default:
		r.metrics.Inc("events_dropped_total")
	}
}

// reserve takes one of the burst slots and returns the function that
// frees it, or nil when all slots are taken.
func (r *Recorder) reserve() func() {
	select {
	case r.slots <- struct{}{}:
		return func() {
			select {
			case <-r.slots:
			default:
			}
		}
	default:
		return nil
	}
}

// EventBurst records one Warning per reason, for failures that produce
// several causes at once.
func (r *Recorder) EventBurst(key string, reasons []string) int {
	release := r.reserve()
	defer release() // HAZ defer-nil-func
	for _, reason := range reasons {
		r.Eventf(key, "Warning", reason, "%s failed", key)
	}
	return len(reasons)
}

// Replay sends every stored event of key on ch, warnings from a background
// goroutine so that they are not stuck behind a long list of normal
// events, and closes ch when done.
func (r *Recorder) Replay(key string, ch chan<- Event) {
	defer close(ch) // HAZ defer-close-chan-with-sender
	var normal, warning []Event
	r.mu.Lock()
	for _, ev := range r.events {
		if ev.Key != key {
			continue
		}
		if ev.Type == "Warning" {
			warning = append(warning, *ev)
		} else {
			normal = append(normal, *ev)
		}
	}
	r.mu.Unlock()
	go func() {
		for _, ev := range warning {
			ch <- ev
		}
	}()
	for _, ev := range normal {
		ch <- ev
	}
}

// Run logs recorded events until ctx is done; old aggregates are expired
// in the background.
func (r *Recorder) Run(ctx context.Context) (err error) {
	defer runtimeutil.RecoverToError(&err, "event recorder")
	go r.expire(ctx, 10*time.Minute) // HAZ goroutine-outside-recover
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-r.out:
			r.logger.Printf("event %s %s %s: %s (x%d)", ev.Type, ev.Key, ev.Reason, ev.Message, ev.Count)
		}
	}
}

// expire drops aggregates that have not been seen for ttl.
func (r *Recorder) expire(ctx context.Context, ttl time.Duration) {
	t := time.NewTicker(ttl / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			r.mu.Lock()
			for id, ev := range r.events {
				if now.Sub(ev.Last) > ttl {
					delete(r.events, id)
				}
			}
			r.mu.Unlock()
		}
	}
}

// Pump encodes recorded events as JSON lines to w for as long as the
// process runs.
func (r *Recorder) Pump(w io.Writer) {
	for ev := range r.out {
		buf := r.bufs.Get().(*bytes.Buffer)
		defer r.bufs.Put(buf) // HAZ defer-in-infinite-loop
		buf.Reset()
		if err := json.NewEncoder(buf).Encode(ev); err != nil {
			continue
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			r.logger.Printf("event pump: %v", err)
		}
	}
}

// Flush writes every aggregated event to w as JSON lines.
func (r *Recorder) Flush(w io.Writer) error {
	defer r.metrics.Timer("event_flush_seconds") // HAZ defer-func-result-not-called
	r.mu.Lock()
	events := make([]Event, 0, len(r.events))
	for _, ev := range r.events {
		events = append(events, *ev)
	}
	r.mu.Unlock()
	enc := json.NewEncoder(w)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return nil
}

// deliver hands ev to a sink; a sink that was closed concurrently panics
// with errSinkClosed, which is expected during shutdown.
func deliver(sink func(Event), ev Event) {
	defer func() {
		if err, ok := recover().(error); ok && errors.Is(err, errSinkClosed) { // HAZ recover-swallows-panic
			// closed during shutdown: nothing left to deliver to
		}
	}()
	sink(ev)
}

// Broadcast delivers ev to every subscriber concurrently and waits for all
// of them; nil subscribers are skipped.
func (r *Recorder) Broadcast(ev Event, subs []func(Event)) {
	var wg sync.WaitGroup
	for _, sub := range subs {
		wg.Add(1)
		go func() {
			if sub == nil {
				return
			}
			deliver(sub, ev)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// BroadcastGuarded delivers ev to every subscriber concurrently; a
// panicking subscriber is logged and does not crash the recorder.
func (r *Recorder) BroadcastGuarded(ev Event, subs []func(Event)) {
	var wg sync.WaitGroup
	for i, sub := range subs {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					r.logger.Printf("event subscriber %d panicked: %v", i, p)
				}
			}()
			sub(ev)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// BroadcastAll is Broadcast with the Done deferred first, so that every
// path out of the goroutine, panics included, signals the group.
func (r *Recorder) BroadcastAll(ev Event, subs []func(Event)) {
	var wg sync.WaitGroup
	for i, sub := range subs {
		if sub == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					r.logger.Printf("event subscriber %d panicked: %v", i, p)
				}
			}()
			sub(ev)
		}()
	}
	wg.Wait()
}
