package controller

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

// Event is a Kubernetes-style event about an object.
type Event struct {
	Object  string
	Type    string
	Reason  string
	Message string
	Time    time.Time
}

// EventSink persists events.
type EventSink interface {
	Record(ctx context.Context, events []Event) error
}

// LogSink writes events to a logger.
type LogSink struct {
	Logger *log.Logger
}

// Record implements EventSink.
func (s LogSink) Record(_ context.Context, events []Event) error {
	for _, e := range events {
		s.Logger.Printf("event %s %s %s: %s", e.Object, e.Type, e.Reason, e.Message)
	}
	return nil
}

// EventRecorder buffers events and flushes them in batches.
type EventRecorder struct {
	mu   sync.Mutex
	buf  []Event
	max  int
	sink EventSink
	now  func() time.Time
}

// NewEventRecorder returns a recorder keeping at most max pending events.
func NewEventRecorder(sink EventSink, max int) *EventRecorder {
	return &EventRecorder{sink: sink, max: max, now: time.Now}
}

// Eventf records an event about obj; the oldest event is dropped when the
// buffer is full.
func (r *EventRecorder) Eventf(obj api.Object, typ, reason, format string, args ...any) {
	e := Event{
		Object:  obj.GetMeta().Key(),
		Type:    typ,
		Reason:  reason,
		Message: fmt.Sprintf(format, args...),
		Time:    r.now(),
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.max > 0 && len(r.buf) >= r.max {
		r.buf = r.buf[1:]
	}
	r.buf = append(r.buf, e)
}

// Flush sends the pending events; on failure they are kept for next time.
func (r *EventRecorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	batch := r.buf
	r.buf = nil
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := r.sink.Record(ctx, batch); err != nil {
		r.mu.Lock()
		r.buf = append(batch, r.buf...)
		r.mu.Unlock()
		return err
	}
	return nil
}

// Pending returns the number of buffered events.
func (r *EventRecorder) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buf)
}
