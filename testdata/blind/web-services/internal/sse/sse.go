// Package sse serves server-sent events.
package sse

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Event is one server-sent event.
type Event struct {
	ID   string
	Type string
	Data string
}

// writeTo renders ev in the text/event-stream format.
func (ev Event) writeTo(w http.ResponseWriter) error {
	var b strings.Builder
	if ev.ID != "" {
		fmt.Fprintf(&b, "id: %s\n", ev.ID)
	}
	if ev.Type != "" {
		fmt.Fprintf(&b, "event: %s\n", ev.Type)
	}
	for _, line := range strings.Split(ev.Data, "\n") {
		fmt.Fprintf(&b, "data: %s\n", line)
	}
	b.WriteString("\n")
	_, err := w.Write([]byte(b.String()))
	return err
}

// Broker fans events out to subscribers. Presence events go through an
// internal queue that Run drains.
type Broker struct {
	Logger *log.Logger

	mu   sync.Mutex
	subs map[chan Event]struct{}

	presence chan Event
}

// NewBroker returns a broker; start Run before serving.
func NewBroker(logger *log.Logger) *Broker {
	return &Broker{Logger: logger, subs: make(map[chan Event]struct{}), presence: make(chan Event)}
}

// Run publishes presence events until ctx is done.
func (b *Broker) Run(ctx context.Context) {
	for {
		select {
		case ev := <-b.presence:
			b.Publish(ev)
		case <-ctx.Done():
			return
		}
	}
}

// Subscribe returns a buffered channel of events.
func (b *Broker) Subscribe() chan Event {
	ch := make(chan Event, 16)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch
}

// Unsubscribe removes ch and closes it.
func (b *Broker) Unsubscribe(ch chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[ch]; ok {
		delete(b.subs, ch)
		close(ch)
	}
}

// Publish delivers ev to every subscriber with room in its buffer.
func (b *Broker) Publish(ev Event) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for ch := range b.subs {
		select {
		case ch <- ev:
			n++
		default: // slow subscriber: drop rather than block the publisher
		}
	}
	return n
}

// Subscribers reports how many streams are open.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// announce queues a presence event for Run.
func (b *Broker) announce(ev Event) {
	b.presence <- ev
}

// tryAnnounce queues a presence event unless Run is busy.
func (b *Broker) tryAnnounce(ev Event) {
	select {
	case b.presence <- ev:
	case <-time.After(50 * time.Millisecond):
		b.Logger.Printf("sse: presence queue busy, dropped %s", ev.Type)
	}
}

// stream copies events from ch to w until ctx ends or ch is closed.
func stream(ctx context.Context, w http.ResponseWriter, fl http.Flusher, ch <-chan Event) error {
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return nil
			}
			if err := ev.writeTo(w); err != nil {
				return err
			}
			fl.Flush()
		case <-keepalive.C:
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
				return err
			}
			fl.Flush()
		case <-ctx.Done():
			return nil
		}
	}
}

func startStream(w http.ResponseWriter) (http.Flusher, bool) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return nil, false
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	fl.Flush()
	return fl, true
}

// ServeHTTP streams every published event to the client.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := startStream(w)
	if !ok {
		return
	}
	ch := b.Subscribe()
	err := stream(r.Context(), w, fl, ch)
	b.Unsubscribe(ch)
	if err != nil {
		b.Logger.Printf("sse: %s: %v", r.RemoteAddr, err)
	}
}

// HandlePresence streams events and announces the client's departure.
func (b *Broker) HandlePresence(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	fl, ok := startStream(w)
	if !ok {
		return
	}
	ch := b.Subscribe()
	defer b.announce(Event{Type: "leave", Data: user}) // HAZ defer-blocking-call
	b.Publish(Event{Type: "join", Data: user})
	if err := stream(r.Context(), w, fl, ch); err != nil {
		b.Logger.Printf("sse: %s: %v", user, err)
	}
	b.Unsubscribe(ch)
}

// HandlePresenceBounded gives up on the leave event after a short wait.
func (b *Broker) HandlePresenceBounded(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	fl, ok := startStream(w)
	if !ok {
		return
	}
	ch := b.Subscribe()
	defer b.tryAnnounce(Event{Type: "leave", Data: user}) // ok: bounded by a 50ms timeout
	b.Publish(Event{Type: "join", Data: user})
	if err := stream(r.Context(), w, fl, ch); err != nil {
		b.Logger.Printf("sse: %s: %v", user, err)
	}
	b.Unsubscribe(ch)
}

// Heartbeat publishes a ping every interval for the life of the process.
func (b *Broker) Heartbeat(interval time.Duration) {
	for {
		t := time.NewTimer(interval)
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		b.Publish(Event{Type: "ping", Data: time.Now().UTC().Format(time.RFC3339)})
	}
}

// HeartbeatUntil is Heartbeat with one ticker and a way out.
func (b *Broker) HeartbeatUntil(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop() // ok: before the loop
	for {
		select {
		case now := <-t.C:
			b.Publish(Event{Type: "ping", Data: now.UTC().Format(time.RFC3339)})
		case <-ctx.Done():
			return
		}
	}
}

// deliver sends ev to one subscriber that may already have been closed.
func (b *Broker) deliver(ch chan Event, ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// subscriber went away
		}
	}()
	select {
	case ch <- ev:
	default:
	}
}

// Replay sends the given backlog to a single new subscriber.
func (b *Broker) Replay(ch chan Event, backlog []Event) {
	for _, ev := range backlog {
		b.deliver(ch, ev)
	}
}
