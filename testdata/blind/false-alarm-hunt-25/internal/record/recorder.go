// Package record records events about objects and delivers them to sinks in the background.
package record

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah25/api"
)

// Sink receives recorded events.
type Sink interface {
	Write(ev api.Event) error
}

// Recorder queues events in a bounded buffer and writes them from one goroutine.
type Recorder struct {
	component   string
	events      chan api.Event
	sinks       []Sink
	sinkTimeout time.Duration
	wg          sync.WaitGroup

	mu     sync.Mutex // guards closed and sending on events
	closed bool

	aggMu  sync.Mutex
	counts map[string]api.Event

	dropped    atomic.Int64
	reportOnce sync.Once
	now        func() time.Time
}

// NewRecorder starts the delivery goroutine; Shutdown flushes and stops it.
func NewRecorder(component string, buffer int, sinks ...Sink) *Recorder {
	r := &Recorder{
		component:   component,
		events:      make(chan api.Event, buffer),
		sinks:       sinks,
		sinkTimeout: 5 * time.Second,
		counts:      make(map[string]api.Event),
		now:         time.Now,
	}
	r.wg.Add(1)
	go r.run()
	return r
}

// Eventf records an event about obj. It never blocks: when the buffer is full the event is dropped.
func (r *Recorder) Eventf(obj api.Object, typ, reason, format string, args ...any) {
	key, err := api.KeyFunc(obj)
	if err != nil {
		key = "<unknown>"
	}
	now := r.now()
	ev := api.Event{
		Object:    key,
		Type:      typ,
		Reason:    reason,
		Message:   fmt.Sprintf(format, args...),
		Count:     1,
		FirstSeen: now,
		LastSeen:  now,
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		r.dropped.Add(1)
		return
	}
	select {
	case r.events <- ev:
	default:
		r.dropped.Add(1)
	}
}

// Dropped returns how many events were discarded.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

func (r *Recorder) run() {
	defer r.wg.Done()
	for ev := range r.events {
		r.writeToSinks(r.aggregate(ev))
	}
}

func (r *Recorder) aggregate(ev api.Event) api.Event {
	r.aggMu.Lock()
	defer r.aggMu.Unlock()
	k := ev.AggregationKey()
	if prev, ok := r.counts[k]; ok {
		ev.Count = prev.Count + 1
		ev.FirstSeen = prev.FirstSeen
	}
	r.counts[k] = ev
	return ev
}

// writeToSinks writes ev to every sink concurrently and waits at most sinkTimeout.
func (r *Recorder) writeToSinks(ev api.Event) {
	ctx, cancel := context.WithTimeout(context.Background(), r.sinkTimeout)
	defer cancel()
	errs := make(chan error, len(r.sinks))
	for _, s := range r.sinks {
		go func() { errs <- r.safeWrite(s, ev) }()
	}
	for range r.sinks {
		select {
		case err := <-errs:
			if err != nil {
				log.Printf("record: %s: %v", r.component, err)
			}
		case <-ctx.Done():
			log.Printf("record: %s: sinks too slow, not waiting for the rest", r.component)
			return
		}
	}
}

// safeWrite writes to one sink; a panicking sink is logged once.
func (r *Recorder) safeWrite(s Sink, ev api.Event) (err error) {
	defer func() {
		r.reportOnce.Do(func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				log.Printf("record: sink %T panicked: %v (further panics are not logged)", s, p)
				err = fmt.Errorf("sink %T panicked: %v", s, p)
			}
		})
	}()
	return s.Write(ev)
}

// Shutdown stops accepting events, delivers the buffered ones and waits for delivery to finish.
func (r *Recorder) Shutdown() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	close(r.events)
	r.mu.Unlock()
	r.wg.Wait()
}
