// Package wshub is a websocket-style fan-out hub: clients join rooms,
// messages are broadcast to rooms, slow clients are dropped.
package wshub

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClientClosed is returned when writing to a closed client.
var ErrClientClosed = errors.New("wshub: client closed")

// Client is one connected peer.
type Client struct {
	id     string
	hub    *Hub
	conn   net.Conn
	rd     *bufio.Reader
	send   chan []byte
	mu     sync.Mutex
	closed bool
	rooms  map[string]bool

	lastSeen atomic.Int64
}

func (c *Client) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// writeMessage writes one length-prefixed frame with a deadline.
func (c *Client) writeMessage(msg []byte) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(msg)))
	if _, err := c.conn.Write(hdr[:]); err != nil {
		return err
	}
	_, err := c.conn.Write(msg)
	return err
}

func (c *Client) readMessage() ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c.rd, hdr[:]); err != nil {
		return nil, err
	}
	msg := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(c.rd, msg); err != nil {
		return nil, err
	}
	c.lastSeen.Store(time.Now().UnixNano())
	return msg, nil
}

// pump writes queued messages to the connection until the queue closes.
func (c *Client) pump() {
	for msg := range c.send {
		if err := c.writeMessage(msg); err != nil {
			c.hub.dropClient(c, err.Error())
			return
		}
		c.hub.sent.Add(1)
	}
}

// Event is a room membership change.
type Event struct {
	Kind   string
	Room   string
	Client *Client
}

// Counters is a snapshot of hub counters.
type Counters struct {
	Clients   int64
	Sent      int64
	Dropped   int64
	Broadcast int64
}

// Publish logs the counters.
func (c Counters) Publish(l *log.Logger) {
	l.Printf("wshub: clients=%d sent=%d dropped=%d broadcasts=%d", c.Clients, c.Sent, c.Dropped, c.Broadcast)
}

// Hub tracks clients and rooms.
type Hub struct {
	mu      sync.RWMutex
	clients map[string]*Client
	rooms   map[string]map[string]*Client

	events    chan Event
	broadcast chan []byte
	done      chan struct{}
	logger    *log.Logger

	slowEvent time.Duration
	muted     atomic.Bool

	nclients   atomic.Int64
	sent       atomic.Int64
	dropped    atomic.Int64
	broadcasts atomic.Int64
}

// NewHub returns an empty hub.
func NewHub(logger *log.Logger) *Hub {
	if logger == nil {
		logger = log.Default()
	}
	return &Hub{
		clients:   make(map[string]*Client),
		rooms:     make(map[string]map[string]*Client),
		events:    make(chan Event, 64),
		broadcast: make(chan []byte, 64),
		done:      make(chan struct{}),
		logger:    logger,
		slowEvent: 100 * time.Millisecond,
	}
}

// Counters returns a snapshot of the hub counters.
func (h *Hub) Counters() Counters {
	return Counters{
		Clients:   h.nclients.Load(),
		Sent:      h.sent.Load(),
		Dropped:   h.dropped.Load(),
		Broadcast: h.broadcasts.Load(),
	}
}

// muteBroadcasts suspends broadcasts and returns the func that resumes them.
func (h *Hub) muteBroadcasts() func() {
	was := h.muted.Swap(true)
	return func() { h.muted.Store(was) }
}

// register adds c to the hub.
func (h *Hub) register(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clients[c.id] = c
	h.nclients.Add(1)
}

// unregisterClient removes c from the hub and all its rooms.
func (h *Hub) unregisterClient(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

func (h *Hub) removeLocked(c *Client) {
	if _, ok := h.clients[c.id]; !ok {
		return
	}
	delete(h.clients, c.id)
	for room := range c.rooms {
		delete(h.rooms[room], c.id)
	}
	h.nclients.Add(-1)
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.send)
	}
	c.mu.Unlock()
}

// dropClient closes c's connection and unregisters it.
func (h *Hub) dropClient(c *Client, reason string) {
	h.logger.Printf("wshub: dropping %s: %s", c.id, reason)
	c.conn.Close()
	h.unregisterClient(c)
}

// snapshot returns the current clients.
func (h *Hub) snapshot() []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*Client, 0, len(h.clients))
	for _, c := range h.clients {
		out = append(out, c)
	}
	return out
}

// roomMembers returns the clients in room.
func (h *Hub) roomMembers(room string) []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*Client, 0, len(h.rooms[room]))
	for _, c := range h.rooms[room] {
		out = append(out, c)
	}
	return out
}

// enqueue offers msg to c without blocking; it reports whether it was queued.
func (c *Client) enqueue(msg []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	select {
	case c.send <- msg:
		return true
	default:
		return false
	}
}

// deliver queues msg for c, waiting for room until ctx ends.
func (c *Client) deliver(ctx context.Context, msg []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	select {
	case c.send <- msg:
		return true
	case <-ctx.Done():
		return false
	}
}

func (h *Hub) logPanic(c *Client, v any) {
	if v != nil {
		h.logger.Printf("wshub: panic in client %s: %v", c.id, v)
	}
}

func describe(c *Client) string {
	return fmt.Sprintf("client %s (%s)", c.id, c.conn.RemoteAddr())
}
