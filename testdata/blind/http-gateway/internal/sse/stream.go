package sse

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/gateway/internal/obs"
)

// heartbeat keeps intermediaries from closing idle streams.
const heartbeat = 15 * time.Second

// ServeHTTP streams events to one client as text/event-stream until the
// client goes away or the broker closes.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	lastID := parseLastEventID(r)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")

	id, events := b.Subscribe()
	defer b.Unsubscribe(id)

	if lastID > 0 && b.store != nil {
		if err := b.store.Replay(w, lastID); err != nil {
			b.logger.Printf("sse: replay after %d: %v", lastID, err)
		}
	}
	fl.Flush()

	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if err := writeEvent(w, ev); err != nil {
				return
			}
			fl.Flush()
		case <-tick.C:
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// Kick disconnects subscriber id, running its leave hook.
func (b *Broker) Kick(id int) {
	b.leave(id)
}

// writeEvent encodes ev in the text/event-stream format.
func writeEvent(w io.Writer, ev Event) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "id: %d\n", ev.ID)
	if ev.Type != "" {
		fmt.Fprintf(&buf, "event: %s\n", ev.Type)
	}
	for _, line := range bytes.Split(ev.Data, []byte("\n")) {
		buf.WriteString("data: ")
		buf.Write(line)
		buf.WriteByte('\n')
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func parseLastEventID(r *http.Request) int64 {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("lastEventId")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// forward copies events from a subscription to out, keeping only those of
// type typ.
func (b *Broker) forward(events <-chan Event, typ string, out chan<- Event) {
	for ev := range events {
		if ev.Type == typ {
			out <- ev
		}
	}
}

// ServeFiltered streams only events of the type given in ?type=.
func (b *Broker) ServeFiltered(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	id, events := b.Subscribe()
	defer b.Unsubscribe(id)

	filtered := make(chan Event, 16)
	defer close(filtered) // HAZ defer-close-chan-with-sender
	go b.forward(events, r.URL.Query().Get("type"), filtered)
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-filtered:
			if err := writeEvent(w, ev); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// ServeHistory answers GET /events/history?since=N with the stored events
// as a finite event stream.
func (b *Broker) ServeHistory(w http.ResponseWriter, r *http.Request) {
	defer obs.Track("sse.history") // HAZ defer-func-result-not-called
	if b.store == nil {
		http.Error(w, "history disabled", http.StatusNotFound)
		return
	}
	since, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if err != nil {
		http.Error(w, "since must be an event id", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	if err := b.store.Replay(w, since); err != nil {
		b.logger.Printf("sse: history since %d: %v", since, err)
	}
}
