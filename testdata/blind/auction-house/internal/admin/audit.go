package admin

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"time"
)

// AuditEvent is one operator action.
type AuditEvent struct {
	Action string
	Lot    string
	Remote string
	Detail string
	At     time.Time
}

// Auditor writes operator actions to an append-only stream from a single
// goroutine, so that concurrent handlers never interleave lines.
type Auditor struct {
	events chan AuditEvent
	done   chan struct{}
}

// NewAuditor starts the writer goroutine.
func NewAuditor(w io.Writer) *Auditor {
	au := &Auditor{events: make(chan AuditEvent), done: make(chan struct{})}
	go au.run(w)
	return au
}

// run writes events through a buffer that is flushed every second and when
// the auditor is closed.
func (au *Auditor) run(w io.Writer) {
	defer close(au.done)
	bw := bufio.NewWriter(w)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-au.events:
			if !ok {
				if err := bw.Flush(); err != nil {
					log.Printf("audit: final flush: %v", err)
				}
				return
			}
			fmt.Fprintf(bw, "%s audit action=%s lot=%q remote=%s %s\n",
				ev.At.UTC().Format(time.RFC3339), ev.Action, ev.Lot, ev.Remote, ev.Detail)
		case <-tick.C:
			if err := bw.Flush(); err != nil {
				log.Printf("audit: flush: %v", err)
			}
		}
	}
}

// Record hands ev to the writer and waits until the writer has taken it.
func (au *Auditor) Record(ev AuditEvent) {
	ev.At = time.Now()
	au.events <- ev
}

// TryRecord hands ev to the writer if it is idle and reports whether it
// did; it never waits.
func (au *Auditor) TryRecord(ev AuditEvent) bool {
	ev.At = time.Now()
	select {
	case au.events <- ev:
		return true
	default:
		return false
	}
}

// Close stops the writer, waiting at most two seconds for it to flush the
// buffered lines.
func (au *Auditor) Close() {
	close(au.events)
	select {
	case <-au.done:
	case <-time.After(2 * time.Second):
	}
}
