package api

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Event is one audited request.
type Event struct {
	Method string
	Path   string
	Status int
	Bytes  int64
	Took   time.Duration
}

// Auditor records request outcomes.
type Auditor interface {
	// Record queues ev; it never blocks.
	Record(ev Event)
	// Flush returns once every queued event has been written.
	Flush()
}

// BatchAuditor queues events and writes them from a background goroutine.
type BatchAuditor struct {
	events   chan Event
	flushReq chan chan struct{}
	quit     chan struct{}
	done     chan struct{}
	w        io.Writer
	dropped  atomic.Int64
}

// NewBatchAuditor starts an auditor that writes to w and queues up to buf
// events.
func NewBatchAuditor(w io.Writer, buf int) *BatchAuditor {
	a := &BatchAuditor{
		events:   make(chan Event, buf),
		flushReq: make(chan chan struct{}),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
		w:        w,
	}
	go a.loop()
	return a
}

func (a *BatchAuditor) write(ev Event) {
	fmt.Fprintf(a.w, "%s %s %d %dB %s\n", ev.Method, ev.Path, ev.Status, ev.Bytes, ev.Took)
}

func (a *BatchAuditor) loop() {
	defer close(a.done)
	for {
		select {
		case ev := <-a.events:
			a.write(ev)
		case ack := <-a.flushReq:
			for n := len(a.events); n > 0; n-- {
				a.write(<-a.events)
			}
			close(ack)
		case <-a.quit:
			for n := len(a.events); n > 0; n-- {
				a.write(<-a.events)
			}
			return
		}
	}
}

// Record implements Auditor. When the queue is full the event is dropped.
func (a *BatchAuditor) Record(ev Event) {
	select {
	case a.events <- ev:
	default:
		a.dropped.Add(1)
	}
}

// Flush implements Auditor.
func (a *BatchAuditor) Flush() {
	ack := make(chan struct{})
	a.flushReq <- ack
	<-ack
}

// Dropped returns how many events were dropped because the queue was full.
func (a *BatchAuditor) Dropped() int64 {
	return a.dropped.Load()
}

// Close writes the queued events and stops the background goroutine.
func (a *BatchAuditor) Close() error {
	close(a.quit)
	<-a.done
	return nil
}
