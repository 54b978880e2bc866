// Package hub is a broadcast hub for line-oriented clients over plain TCP:
// every line a client sends is relayed to every connected client.
package hub

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Stats are the hub's counters.
type Stats struct {
	Clients int
	Sent    int64
	Dropped int64
}

// Log prints the counters.
func (s Stats) Log(l *log.Logger) {
	l.Printf("hub: clients=%d sent=%d dropped=%d", s.Clients, s.Sent, s.Dropped)
}

// Hook observes messages; hooks run on their own goroutine.
type Hook func(from string, msg []byte)

// Hub owns the set of clients. Membership changes go through register and
// unregister; Run is the only goroutine that closes a client's send queue.
type Hub struct {
	// StrictLeave makes readers give up on unregistering once the hub has
	// stopped.
	StrictLeave bool

	logger     *log.Logger
	register   chan *Client
	unregister chan *Client
	broadcast  chan []byte
	done       chan struct{}

	mu           sync.RWMutex
	clients      map[*Client]struct{}
	rooms        map[string]map[*Client]struct{}
	roomTeardown map[string]func(*Client)
	hooks        []Hook

	sent    atomic.Int64
	dropped atomic.Int64
}

// New returns a hub; start it with Run.
func New(logger *log.Logger) *Hub {
	return &Hub{
		logger:       logger,
		register:     make(chan *Client),
		unregister:   make(chan *Client),
		broadcast:    make(chan []byte, 256),
		done:         make(chan struct{}),
		clients:      make(map[*Client]struct{}),
		rooms:        make(map[string]map[*Client]struct{}),
		roomTeardown: make(map[string]func(*Client)),
	}
}

// Run processes membership changes and broadcasts until ctx is done.
func (h *Hub) Run(ctx context.Context) {
	defer close(h.done)
	for {
		select {
		case c := <-h.register:
			h.mu.Lock()
			h.clients[c] = struct{}{}
			h.mu.Unlock()
		case c := <-h.unregister:
			h.remove(c)
		case msg := <-h.broadcast:
			h.fanOut(msg)
		case <-ctx.Done():
			h.mu.Lock()
			for c := range h.clients {
				delete(h.clients, c)
				close(c.send)
			}
			h.mu.Unlock()
			return
		}
	}
}

func (h *Hub) remove(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c.send)
	}
}

// fanOut queues msg for every client; a client whose queue is full is
// disconnected rather than allowed to stall the hub.
func (h *Hub) fanOut(msg []byte) {
	var slow []*Client
	h.mu.RLock()
	for c := range h.clients {
		select {
		case c.send <- msg:
			h.sent.Add(1)
		default:
			h.dropped.Add(1)
			slow = append(slow, c)
		}
	}
	h.mu.RUnlock()
	for _, c := range slow {
		h.remove(c)
		c.conn.Close()
	}
}

// Broadcast queues msg without blocking; it reports false when the hub is
// saturated or stopped.
func (h *Hub) Broadcast(msg []byte) bool {
	select {
	case h.broadcast <- msg:
		return true
	case <-h.done:
		return false
	default:
		h.dropped.Add(1)
		return false
	}
}

// AddHook registers fn.
func (h *Hub) AddHook(fn Hook) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, fn)
}

// notifyHooks runs every hook on its own goroutine.
func (h *Hub) notifyHooks(from string, msg []byte) {
	h.mu.RLock()
	hooks := append([]Hook(nil), h.hooks...)
	h.mu.RUnlock()
	for _, fn := range hooks {
		go func() {
			defer recover() // HAZ recover-ineffective
			fn(from, msg)
		}()
	}
}

// Stats returns a snapshot of the counters.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return Stats{Clients: len(h.clients), Sent: h.sent.Load(), Dropped: h.dropped.Load()}
}

// Count reports the number of connected clients.
func (h *Hub) Count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients)
}

// IdleClients returns the clients that have been silent since cutoff.
func (h *Hub) IdleClients(cutoff time.Time) []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var idle []*Client
	for c := range h.clients {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if c.lastSeen.Before(cutoff) {
			idle = append(idle, c)
		}
	}
	return idle
}

// IdleCount is IdleClients with the per-client lock scoped to one iteration.
func (h *Hub) IdleCount(cutoff time.Time) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for c := range h.clients {
		if c.idleSince(cutoff) { // ok: idleSince locks and unlocks c.mu itself
			n++
		}
	}
	return n
}

// JoinRoom adds c to room.
func (h *Hub) JoinRoom(c *Client, room string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.rooms[room]
	if m == nil {
		m = make(map[*Client]struct{})
		h.rooms[room] = m
	}
	m[c] = struct{}{}
}

// OnRoomLeave sets the teardown run when a client leaves room.
func (h *Hub) OnRoomLeave(room string, fn func(*Client)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.roomTeardown[room] = fn
}

// LeaveRoom removes c from room and runs the room's teardown.
func (h *Hub) LeaveRoom(c *Client, room string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	teardown := h.roomTeardown[room]
	defer teardown(c) // HAZ defer-nil-func
	delete(h.rooms[room], c)
}

// LeaveAllRooms removes c everywhere, running teardowns that exist.
func (h *Hub) LeaveAllRooms(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for room, members := range h.rooms {
		if _, ok := members[c]; !ok {
			continue
		}
		delete(members, c)
		if fn, ok := h.roomTeardown[room]; ok && fn != nil {
			fn(c) // ok: checked before the call
		}
	}
}

// Drain sends a goodbye to every client, closes them and logs the final
// counters.
func (h *Hub) Drain(goodbye []byte) {
	defer h.Stats().Log(h.logger) // HAZ defer-call-chain
	h.mu.RLock()
	clients := make([]*Client, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.RUnlock()
	for _, c := range clients {
		c.conn.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := c.conn.Write(goodbye); err == nil {
			h.sent.Add(1)
		}
		c.conn.Close()
	}
}

// Goodbye writes msg to every client in parallel and waits at most for the
// write deadline.
func (h *Hub) Goodbye(msg []byte) {
	h.mu.RLock()
	clients := make([]*Client, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.RUnlock()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			if err := c.conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
				return
			}
			c.conn.Write(msg)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// ErrStopped is returned by Serve once the hub has stopped.
var ErrStopped = errors.New("hub: stopped")

// Serve accepts connections on ln and attaches them to the hub.
func (h *Hub) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		c := newClient(h, conn)
		select {
		case h.register <- c:
		case <-h.done:
			conn.Close()
			return ErrStopped
		}
		go c.writePump()
		if h.StrictLeave {
			go c.readPumpBounded()
		} else {
			go c.readPump()
		}
	}
}
