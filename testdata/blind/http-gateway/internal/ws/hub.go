package ws

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Handler processes one inbound frame of a session.
type Handler func(c *Conn, p []byte)

// Hub tracks the live sessions.
type Hub struct {
	mu     sync.Mutex
	conns  map[string]*Conn
	seq    int
	logger *log.Logger

	handler Handler
	onJoin  func(id string)
}

// NewHub returns a hub dispatching inbound frames to handler.
func NewHub(handler Handler, logger *log.Logger) *Hub {
	return &Hub{conns: make(map[string]*Conn), handler: handler, logger: logger}
}

// OnJoin installs a callback run when a session joins.
func (h *Hub) OnJoin(fn func(id string)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onJoin = fn
}

func (h *Hub) nextID() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	return fmt.Sprintf("s%06d", h.seq)
}

// Register adds c to the hub; session IDs must be unique.
func (h *Hub) Register(c *Conn) error {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := h.conns[c.id]; dup {
		return fmt.Errorf("ws: duplicate session %s", c.id)
	}
	h.conns[c.id] = c
	h.mu.Unlock()
	return nil
}

// remove drops session id and closes its outbound queue, which ends its pump.
func (h *Hub) remove(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.conns[id]; ok {
		delete(h.conns, id)
		close(c.out)
	}
}

func (h *Hub) lookup(id string) (*Conn, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.conns[id]
	return c, ok
}

func (h *Hub) snapshot() []*Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Conn, 0, len(h.conns))
	for _, c := range h.conns {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// Broadcast sends p to every session, dropping those that fail.
func (h *Hub) Broadcast(p []byte) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for id, c := range h.conns {
		if err := c.WriteFrame(p); err != nil {
			h.remove(id) // HAZ lock-reentry-under-defer
			continue
		}
		n++
	}
	return n
}

// Publish queues p on every session's outbound queue without blocking;
// sessions whose queue is full miss the message. Holding mu keeps remove
// from closing a queue during the send.
func (h *Hub) Publish(p []byte) (queued, dropped int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		select {
		case c.out <- p:
			queued++
		default:
			dropped++
		}
	}
	return queued, dropped
}

// Ping writes a ping frame to every session under its write lock.
func (h *Hub) Ping() int {
	ok := 0
	for _, c := range h.snapshot() {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if err := c.nc.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
			continue
		}
		if WriteFrameTo(c.bw, []byte("ping")) == nil && c.bw.Flush() == nil {
			ok++
		}
	}
	return ok
}

// notifyJoin runs the join callback, if any.
func (h *Hub) notifyJoin(id string) {
	h.mu.Lock()
	fn := h.onJoin
	h.mu.Unlock()
	if fn == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn(id)
}

// collectStats summarises the sessions for the stats endpoint.
func (h *Hub) collectStats() map[string]int {
	conns := h.snapshot()
	stats := map[string]int{"sessions": len(conns)}
	for _, c := range conns {
		stats["queued"] += len(c.out)
	}
	return stats
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// ServeStats answers GET /stream/stats[?session=id].
func (h *Hub) ServeStats(w http.ResponseWriter, r *http.Request) {
	statsc := make(chan map[string]int)
	go func() { statsc <- h.collectStats() }() // HAZ goroutine-blocked-send
	if id := r.URL.Query().Get("session"); id != "" {
		if _, ok := h.lookup(id); !ok {
			http.Error(w, "unknown session", http.StatusNotFound)
			return
		}
	}
	writeJSON(w, <-statsc)
}

// CloseAll closes every session concurrently, giving each close hook time
// to run, and waits for all of them.
func (h *Hub) CloseAll(goodbye []byte) {
	var wg sync.WaitGroup
	for _, c := range h.snapshot() {
		wg.Add(1)
		go func() {
			defer func() {
				if rec := recover(); rec != nil {
					h.logger.Printf("ws: goodbye handler for %s panicked: %v", c.id, rec)
				}
			}()
			h.handler(c, goodbye)
			c.Close()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Shutdown closes every session and waits for the closes, at most timeout.
func (h *Hub) Shutdown(timeout time.Duration) bool {
	var wg sync.WaitGroup
	for _, c := range h.snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Close()
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}
