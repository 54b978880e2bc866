// Package stream fans flag changes out to SDK clients over server-sent events
// and to configured webhooks.
package stream

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Event is one change pushed to subscribers.
type Event struct {
	ID   int64           `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Broker keeps the set of live subscriptions and a short history so that a
// reconnecting client can resume from its Last-Event-ID.
type Broker struct {
	mu        sync.Mutex
	subs      map[*Subscription]struct{}
	nextID    int64
	history   []Event
	maxHist   int
	dropped   int64
	closed    bool
	heartbeat time.Duration
}

// Subscription is one live SSE client.
type Subscription struct {
	b    *Broker
	ch   chan Event
	once sync.Once
}

// NewBroker returns a broker remembering up to maxHistory events.
func NewBroker(maxHistory int, heartbeat time.Duration) *Broker {
	return &Broker{
		subs:      make(map[*Subscription]struct{}),
		maxHist:   maxHistory,
		heartbeat: heartbeat,
	}
}

// Subscribe registers a subscriber and returns the events it missed after lastID.
func (b *Broker) Subscribe(lastID int64) (*Subscription, []Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	sub := &Subscription{b: b, ch: make(chan Event, 32)}
	if b.closed {
		close(sub.ch)
		return sub, nil
	}
	b.subs[sub] = struct{}{}
	var missed []Event
	for _, ev := range b.history {
		if ev.ID > lastID {
			missed = append(missed, ev)
		}
	}
	return sub, missed
}

// Events returns the channel of live events; it is closed when the
// subscription or the broker is closed.
func (s *Subscription) Events() <-chan Event { return s.ch }

// Close ends the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() { s.b.remove(s) })
}

func (b *Broker) remove(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		close(s.ch)
	}
}

// Publish records an event and delivers it to every subscriber without
// blocking: a subscriber whose buffer is full misses the event and will
// catch up from history when it reconnects.
func (b *Broker) Publish(typ string, data []byte) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0
	}
	b.nextID++
	ev := Event{ID: b.nextID, Type: typ, Data: json.RawMessage(data)}
	b.history = append(b.history, ev)
	if len(b.history) > b.maxHist {
		b.history = b.history[len(b.history)-b.maxHist:]
	}
	for sub := range b.subs {
		select {
		case sub.ch <- ev:
		default:
			b.dropped++
		}
	}
	return ev.ID
}

// Close disconnects every subscriber; later Publish calls are ignored.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for sub := range b.subs {
		delete(b.subs, sub)
		close(sub.ch)
	}
}

// Stats reports the number of subscribers and dropped deliveries.
func (b *Broker) Stats() (subscribers int, dropped int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs), b.dropped
}

// ServeHTTP streams events to one client until it disconnects.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	lastID, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	sub, backlog := b.Subscribe(lastID)
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	for _, ev := range backlog {
		if err := WriteEvent(w, ev); err != nil {
			return
		}
	}
	flusher.Flush()

	heartbeat := time.NewTicker(b.heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			if err := WriteEvent(w, ev); err != nil {
				return
			}
			flusher.Flush()
		case <-heartbeat.C:
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// History returns the remembered events after id, oldest first.
func (b *Broker) History(after int64) []Event {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if after >= b.nextID {
		return nil
	}
	out := make([]Event, 0, len(b.history))
	for _, ev := range b.history {
		if ev.ID > after {
			out = append(out, ev)
		}
	}
	b.mu.Unlock()
	return out
}

// ServePoll is the long-polling fallback for clients that cannot keep an SSE
// connection open: it answers as soon as there is an event after ?after=, or
// with 204 No Content after 30 seconds.
func (b *Broker) ServePoll(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	result := make(chan []Event)
	go func() { result <- b.waitAfter(after) }() // HAZ goroutine-blocked-send
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	select {
	case evs := <-result:
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(evs); err != nil {
			return
		}
	case <-timeout.C:
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
	}
}

// waitAfter returns the events after id, waiting for the next one if there
// are none yet. It returns nil when the broker closes.
func (b *Broker) waitAfter(after int64) []Event {
	sub, missed := b.Subscribe(after)
	defer sub.Close()
	if len(missed) > 0 {
		return missed
	}
	ev, ok := <-sub.Events()
	if !ok {
		return nil
	}
	return []Event{ev}
}

// WriteEvent writes ev in SSE wire format.
func WriteEvent(w io.Writer, ev Event) error {
	_, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ev.ID, ev.Type, ev.Data)
	return err
}
