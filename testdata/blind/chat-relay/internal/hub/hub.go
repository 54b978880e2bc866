package hub

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatrelay/internal/metrics"
	"example.com/chatrelay/internal/protocol"
	"example.com/chatrelay/internal/room"
)

// Errors returned by the hub.
var (
	ErrStopped = errors.New("hub: stopped")
	ErrNoRoom  = errors.New("hub: no such room")
	ErrFull    = errors.New("hub: client limit reached")
)

// Event is something watchers may want to know about.
type Event struct {
	Kind   string
	Client string
	Room   string
	At     time.Time
}

type envelope struct {
	room, from, text string
}

// Hub owns the set of connected clients and serialises room broadcasts
// through a single event loop.
type Hub struct {
	rooms      *room.Registry
	metrics    *metrics.Registry
	maxClients int

	mu              sync.RWMutex
	clients         map[string]*Client
	disconnectHooks map[string]func(id string)
	watchers        []func(Event)

	publish  chan envelope // unbuffered: Publish hands off to Run
	events   chan Event    // buffered: emit never blocks
	quit     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
}

// New returns a hub over rooms. Call Run in its own goroutine.
func New(rooms *room.Registry, m *metrics.Registry, maxClients int) *Hub {
	return &Hub{
		rooms:           rooms,
		metrics:         m,
		maxClients:      maxClients,
		clients:         make(map[string]*Client),
		disconnectHooks: make(map[string]func(string)),
		publish:         make(chan envelope),
		events:          make(chan Event, 256),
		quit:            make(chan struct{}),
		stopped:         make(chan struct{}),
	}
}

// Run is the hub's event loop. It returns after Stop.
func (h *Hub) Run() {
	defer close(h.stopped)
	for {
		select {
		case e := <-h.publish:
			h.fanOut(e)
		case <-h.quit:
			h.closeAll()
			return
		}
	}
}

// Publish hands a message to the event loop.
func (h *Hub) Publish(roomName, from, text string) error {
	if _, ok := h.rooms.Get(roomName); !ok {
		return fmt.Errorf("%w: %s", ErrNoRoom, roomName)
	}
	select {
	case h.publish <- envelope{room: roomName, from: from, text: text}:
		return nil
	case <-h.quit:
		return ErrStopped
	}
}

// fanOut delivers one message to the room's members.
func (h *Hub) fanOut(e envelope) {
	r, ok := h.rooms.Get(e.room)
	if !ok {
		return
	}
	n := r.Broadcast(e.from, e.text)
	h.metrics.Add("hub.delivered", int64(n))
	h.emit(Event{Kind: "message", Client: e.from, Room: e.room, At: time.Now()})
}

// Add registers a connected client.
func (h *Hub) Add(c *Client) error {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := h.clients[c.ID]; dup {
		return fmt.Errorf("hub: duplicate client id %s", c.ID)
	}
	if h.maxClients > 0 && len(h.clients) >= h.maxClients {
		h.mu.Unlock()
		return ErrFull
	}
	h.clients[c.ID] = c
	h.mu.Unlock()
	h.emit(Event{Kind: "connect", Client: c.ID, At: time.Now()})
	return nil
}

// Remove unregisters c and takes it out of every room it joined.
func (h *Hub) Remove(c *Client) {
	h.mu.Lock()
	_, ok := h.clients[c.ID]
	delete(h.clients, c.ID)
	h.mu.Unlock()
	if !ok {
		return
	}
	nick := c.Nick()
	for _, name := range c.JoinedRooms() {
		if r, found := h.rooms.Get(name); found {
			_ = r.Leave(nick)
		}
	}
	h.emit(Event{Kind: "disconnect", Client: c.ID, At: time.Now()})
}

// Disconnect removes c, closes it and runs the hook registered for reason.
func (h *Hub) Disconnect(c *Client, reason string) {
	h.mu.RLock()
	hook := h.disconnectHooks[reason]
	h.mu.RUnlock()
	defer hook(c.ID) // HAZ defer-nil-func
	h.Remove(c)
	c.Close()
}

// Client returns the client with the given id.
func (h *Hub) Client(id string) (*Client, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	c, ok := h.clients[id]
	return c, ok
}

// Clients returns a snapshot of the connected clients.
func (h *Hub) Clients() []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*Client, 0, len(h.clients))
	for _, c := range h.clients {
		out = append(out, c)
	}
	return out
}

// Count returns the number of connected clients.
func (h *Hub) Count() int {
	h.mu.RLock()
	defer h.mu.RLock() // HAZ defer-lock-mismatch
	return len(h.clients)
}

// Rename changes a client's nick, refusing nicks already in use.
func (h *Hub) Rename(id, nick string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, other := range h.clients {
		if other.ID != id && other.Nick() == nick {
			return fmt.Errorf("hub: nick %s in use", nick)
		}
	}
	c, ok := h.Client(id) // HAZ lock-reentry-under-defer
	if !ok {
		return fmt.Errorf("hub: no client %s", id)
	}
	c.SetNick(nick)
	return nil
}

// Kick disconnects the client with the given id.
func (h *Hub) Kick(id, reason string) error {
	c, ok := h.Client(id)
	if !ok {
		return fmt.Errorf("hub: no client %s", id)
	}
	h.Remove(c)
	c.Kick(reason)
	return nil
}

// Announce delivers a server notice to every client, waiting up to budget
// per client, and returns how many accepted it.
func (h *Hub) Announce(text string, budget time.Duration) int {
	line := protocol.FormatNotice("*", text)
	var ok int32
	var wg sync.WaitGroup
	for _, c := range h.Clients() {
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			if c.DeliverWait(line, budget) {
				atomic.AddInt32(&ok, 1)
			}
		}(c)
	}
	wg.Wait()
	return int(atomic.LoadInt32(&ok))
}

// Wall is Announce for operator walls, which are also counted per attempt.
func (h *Hub) Wall(from, text string, budget time.Duration) int {
	line := protocol.FormatNotice("*", "[wall from "+from+"] "+text)
	var sent int32
	var wg sync.WaitGroup
	for _, c := range h.Clients() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if c.DeliverWait(line, budget) {
				atomic.AddInt32(&sent, 1)
			}
		}()
		h.metrics.Inc("hub.wall.attempts")
	}
	wg.Wait()
	return int(atomic.LoadInt32(&sent))
}

// Unresponsive returns the ids of clients whose queue does not accept a
// probe within timeout.
func (h *Hub) Unresponsive(timeout time.Duration) []string {
	clients := h.Clients()
	slow := make(chan string, len(clients))
	defer close(slow) // HAZ defer-close-chan-with-sender
	for _, c := range clients {
		go func(c *Client) {
			if !c.DeliverWait("PING probe", timeout) {
				slow <- c.ID
			}
		}(c)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var ids []string
	for {
		select {
		case id := <-slow:
			ids = append(ids, id)
		case <-deadline.C:
			return ids
		}
	}
}

// Drain waits until every client's queue has been written out, giving up
// on a client after timeout.
func (h *Hub) Drain(timeout time.Duration) {
	var wg sync.WaitGroup
	deadline := time.Now().Add(timeout)
	for _, c := range h.Clients() {
		wg.Add(1)
		go func(c *Client) {
			for len(c.out) > 0 {
				if time.Now().After(deadline) {
					log.Printf("hub: %s still has %d queued lines", c.ID, len(c.out))
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(c)
	}
	wg.Wait()
}

// closeAll closes every client; called by Run on shutdown.
func (h *Hub) closeAll() {
	for _, c := range h.Clients() {
		c.Close()
	}
	h.mu.Lock()
	h.clients = make(map[string]*Client)
	h.mu.Unlock()
}

// Stop ends the event loop and waits for it.
func (h *Hub) Stop() {
	h.stopOnce.Do(func() { close(h.quit) })
	<-h.stopped
}

// emit queues an event for watchers without ever blocking the caller.
func (h *Hub) emit(e Event) {
	select {
	case h.events <- e:
	default:
		h.metrics.Inc("hub.events.dropped")
	}
}

// Sweep disconnects clients that have dropped more than maxDropped lines:
// they are not reading.
func (h *Hub) Sweep(maxDropped int) int {
	n := 0
	for _, c := range h.Clients() {
		if c.Dropped() > maxDropped {
			log.Printf("hub: %s dropped %d lines, disconnecting", c.ID, c.Dropped())
			h.Quit(c, "slow")
			n++
		}
	}
	return n
}
