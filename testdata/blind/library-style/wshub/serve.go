package wshub

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

// processEvents applies membership events for the life of the hub, warning
// about events that take longer than h.slowEvent.
func (h *Hub) processEvents() {
	for ev := range h.events {
		watchdog := time.AfterFunc(h.slowEvent, func() {
			h.logger.Printf("wshub: slow %s event for room %s", ev.Kind, ev.Room)
		})
		defer watchdog.Stop() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		h.applyEvent(ev)
	}
}

// processEventsScoped applies membership events for the life of the hub,
// warning about events that take longer than h.slowEvent.
func (h *Hub) processEventsScoped() {
	for ev := range h.events {
		h.applyEventWatched(ev)
	}
}

func (h *Hub) applyEventWatched(ev Event) {
	watchdog := time.AfterFunc(h.slowEvent, func() {
		h.logger.Printf("wshub: slow %s event for room %s", ev.Kind, ev.Room)
	})
	defer watchdog.Stop()
	h.applyEvent(ev)
}

func (h *Hub) applyEvent(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch ev.Kind {
	case "join":
		if h.rooms[ev.Room] == nil {
			h.rooms[ev.Room] = make(map[string]*Client)
		}
		h.rooms[ev.Room][ev.Client.id] = ev.Client
		ev.Client.rooms[ev.Room] = true
	case "leave":
		delete(h.rooms[ev.Room], ev.Client.id)
		delete(ev.Client.rooms, ev.Room)
	}
}

// Kick disconnects the client with the given id.
func (h *Hub) Kick(id, reason string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[id]
	if !ok {
		return false
	}
	h.dropClient(c, reason) // HAZ lock-reentry-under-defer
	return true
}

// KickLocked disconnects the client with the given id.
func (h *Hub) KickLocked(id, reason string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[id]
	if !ok {
		return false
	}
	h.logger.Printf("wshub: kicking %s: %s", c.id, reason)
	c.conn.Close()
	h.removeLocked(c)
	return true
}

// Broadcast queues msg for every client in room, dropping clients that are too slow.
func (h *Hub) Broadcast(room string, msg []byte) int {
	if h.muted.Load() {
		return 0
	}
	h.broadcasts.Add(1)
	n := 0
	for _, c := range h.roomMembers(room) {
		if c.enqueue(msg) {
			n++
			continue
		}
		h.dropped.Add(1)
		h.dropClient(c, "send buffer full")
	}
	return n
}

// Maintenance runs fn with broadcasts muted.
func (h *Hub) Maintenance(fn func() error) error {
	defer h.muteBroadcasts() // HAZ defer-func-result-not-called
	return fn()
}

// MaintenanceMuted runs fn with broadcasts muted.
func (h *Hub) MaintenanceMuted(fn func() error) error {
	unmute := h.muteBroadcasts()
	defer unmute()
	return fn()
}

// Drain closes every client and publishes the final counters.
func (h *Hub) Drain() {
	defer h.Counters().Publish(h.logger) // HAZ defer-call-chain
	for _, c := range h.snapshot() {
		h.dropClient(c, "hub draining")
	}
}

// DrainAndReport closes every client and publishes the final counters.
func (h *Hub) DrainAndReport() {
	for _, c := range h.snapshot() {
		h.dropClient(c, "hub draining")
	}
	h.Counters().Publish(h.logger)
}

// writePump writes queued messages to the connection until the queue closes.
func (c *Client) writePump() {
	defer func() {
		if err, ok := recover().(error); ok && errors.Is(err, net.ErrClosed) { // HAZ recover-swallows-panic
			return
		}
	}()
	for msg := range c.send {
		if err := c.writeMessage(msg); err != nil {
			c.hub.dropClient(c, err.Error())
			return
		}
		c.hub.sent.Add(1)
	}
}

// writePumpStrict writes queued messages to the connection until the queue
// closes; only a write on a closed connection is tolerated.
func (c *Client) writePumpStrict() {
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(error); ok && errors.Is(err, net.ErrClosed) {
				c.hub.logger.Printf("wshub: %s: write after close", c.id)
				return
			}
			panic(r)
		}
	}()
	for msg := range c.send {
		if err := c.writeMessage(msg); err != nil {
			c.hub.dropClient(c, err.Error())
			return
		}
		c.hub.sent.Add(1)
	}
}

// readPump reads messages and broadcasts them to the client's rooms.
func (c *Client) readPump() {
	defer c.hub.logPanic(c, recover()) // HAZ recover-ineffective
	for {
		msg, err := c.readMessage()
		if err != nil {
			c.hub.dropClient(c, err.Error())
			return
		}
		for room := range c.rooms {
			c.hub.Broadcast(room, msg)
		}
	}
}

// readPumpLogged reads messages and broadcasts them to the client's rooms.
func (c *Client) readPumpLogged() {
	defer func() {
		v := recover()
		c.hub.logPanic(c, v)
	}()
	for {
		msg, err := c.readMessage()
		if err != nil {
			c.hub.dropClient(c, err.Error())
			return
		}
		for room := range c.rooms {
			c.hub.Broadcast(room, msg)
		}
	}
}

func (h *Hub) newClient(conn net.Conn) *Client {
	return &Client{
		id:    conn.RemoteAddr().String(),
		hub:   h,
		conn:  conn,
		rd:    bufio.NewReader(conn),
		send:  make(chan []byte, 32),
		rooms: make(map[string]bool),
	}
}

// Serve accepts connections until the listener fails; a panic in the
// accept loop is returned as an error.
func (h *Hub) Serve(ln net.Listener) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("wshub: serve panicked: %v", r)
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		c := h.newClient(conn)
		h.register(c)
		go c.pump() // HAZ goroutine-outside-recover
		go c.readPumpLogged()
	}
}

// recoverClient logs a panic in one of c's goroutines and drops c.
func (h *Hub) recoverClient(c *Client) {
	if r := recover(); r != nil {
		h.logger.Printf("wshub: panic in %s: %v", describe(c), r)
		c.conn.Close()
	}
}

func (c *Client) safeWritePump() {
	defer c.hub.recoverClient(c)
	c.writePumpStrict()
}

func (c *Client) safeReadPump() {
	defer c.hub.recoverClient(c)
	c.readPumpLogged()
}

// ServeSafe accepts connections until the listener fails; every client
// goroutine recovers its own panics.
func (h *Hub) ServeSafe(ln net.Listener) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("wshub: serve panicked: %v", r)
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		c := h.newClient(conn)
		h.register(c)
		go c.safeWritePump()
		go c.safeReadPump()
	}
}

// Shutdown sends a close frame and closes the connection.
func (c *Client) Shutdown(reason string) error {
	err := c.writeMessage([]byte("close:" + reason))
	defer func() { // HAZ defer-ineffective-return
		if cerr := c.conn.Close(); err == nil {
			err = cerr
		}
	}()
	return err
}

// ShutdownChecked sends a close frame and closes the connection.
func (c *Client) ShutdownChecked(reason string) (err error) {
	err = c.writeMessage([]byte("close:" + reason))
	defer func() {
		if cerr := c.conn.Close(); err == nil {
			err = cerr
		}
	}()
	return err
}

// NotifyAll queues msg for every client, waiting until each one has taken it.
func (h *Hub) NotifyAll(ctx context.Context, msg []byte) {
	var wg sync.WaitGroup
	for _, c := range h.snapshot() {
		wg.Add(1)
		go func() {
			if !c.deliver(ctx, msg) {
				h.dropped.Add(1)
				return
			}
			h.sent.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// NotifyAllBounded queues msg for every client, waiting until each one has
// taken it or ctx ends.
func (h *Hub) NotifyAllBounded(ctx context.Context, msg []byte) {
	var wg sync.WaitGroup
	for _, c := range h.snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !c.deliver(ctx, msg) {
				h.dropped.Add(1)
				return
			}
			h.sent.Add(1)
		}()
	}
	wg.Wait()
}

// PingAll pings every client directly and returns the ids that answered in time.
func (h *Hub) PingAll(timeout time.Duration) []string {
	clients := h.snapshot()
	pongs := make(chan string, len(clients))
	defer close(pongs) // HAZ defer-close-chan-with-sender
	for _, c := range clients {
		go func() {
			if err := c.writeMessage([]byte("ping")); err != nil {
				return
			}
			if _, err := c.readMessage(); err == nil {
				pongs <- c.id
			}
		}()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var alive []string
	for len(alive) < len(clients) {
		select {
		case id := <-pongs:
			alive = append(alive, id)
		case <-timer.C:
			return alive
		}
	}
	return alive
}

// askMembers asks every member for its presence, replying on replies.
func (h *Hub) askMembers(members []*Client, replies chan<- string) {
	for _, c := range members {
		go func() {
			if msg, err := c.readMessage(); err == nil {
				replies <- c.id + ":" + string(msg)
			}
		}()
	}
}

// Presence collects presence replies from room until the timeout.
func (h *Hub) Presence(room string, timeout time.Duration) []string {
	members := h.roomMembers(room)
	replies := make(chan string, len(members))
	defer close(replies) // HAZ defer-close-chan-with-sender
	h.askMembers(members, replies)
	n := len(members)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var got []string
	for len(got) < n {
		select {
		case r := <-replies:
			got = append(got, r)
		case <-timer.C:
			return got
		}
	}
	return got
}

// PingAllWaiting pings every client directly and returns the ids that answered.
func (h *Hub) PingAllWaiting() []string {
	clients := h.snapshot()
	pongs := make(chan string, len(clients))
	defer close(pongs)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.writeMessage([]byte("ping")); err != nil {
				return
			}
			if _, err := c.readMessage(); err == nil {
				pongs <- c.id
			}
		}()
	}
	wg.Wait()
	alive := make([]string, 0, len(pongs))
	for len(pongs) > 0 {
		alive = append(alive, <-pongs)
	}
	return alive
}

// Messages returns a channel of messages read from c; it is closed when the
// connection fails or done is closed.
func (c *Client) Messages(done <-chan struct{}) <-chan []byte {
	out := make(chan []byte)
	go func() {
		defer close(out)
		for {
			msg, err := c.readMessage()
			if err != nil {
				return
			}
			select {
			case out <- msg:
			case <-done:
				return
			}
		}
	}()
	return out
}

// Run fans broadcasts out to every client until stop is closed; idle
// clients are dropped by a watcher that ends with Run.
func (h *Hub) Run(stop <-chan struct{}, idleLimit time.Duration) {
	defer close(h.done)
	go h.watchIdle(idleLimit)
	for {
		select {
		case <-stop:
			return
		case msg := <-h.broadcast:
			for _, c := range h.snapshot() {
				if !c.enqueue(msg) {
					h.dropped.Add(1)
				}
			}
		}
	}
}

// watchIdle drops clients idle for longer than limit; it stops with the hub.
func (h *Hub) watchIdle(limit time.Duration) {
	t := time.NewTicker(limit / 2)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
			for _, c := range h.snapshot() {
				if time.Since(time.Unix(0, c.lastSeen.Load())) > limit {
					h.dropClient(c, "idle")
				}
			}
		}
	}
}

// RecordSession appends every message c sends to a log file until it disconnects.
func (h *Hub) RecordSession(c *Client, path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	var werr error
	for msg := range c.Messages(h.done) {
		if werr != nil {
			continue
		}
		_, werr = fmt.Fprintf(bw, "%s %s\n", time.Now().Format(time.RFC3339Nano), msg)
	}
	return werr
}

// ExportRoster writes the room roster as CSV to path.
func (h *Hub) ExportRoster(room, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	for i, c := range h.roomMembers(room) {
		if err := cw.Write([]string{strconv.Itoa(i), c.id, c.conn.RemoteAddr().String()}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SendEach queues a per-client message for every id in msgs concurrently.
func (h *Hub) SendEach(msgs map[string][]byte) {
	var (
		id  string
		msg []byte
		wg  sync.WaitGroup
	)
	for id, msg = range msgs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			h.mu.RLock()
			c := h.clients[id]
			h.mu.RUnlock()
			if c != nil && !c.enqueue(msg) {
				h.dropped.Add(1)
			}
		}()
	}
	wg.Wait()
	if id != "" {
		h.logger.Printf("wshub: direct messages queued, last for %s", id)
	}
}

// SendEachScoped queues a per-client message for every id in msgs concurrently.
func (h *Hub) SendEachScoped(msgs map[string][]byte) {
	var wg sync.WaitGroup
	for id, msg := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.mu.RLock()
			c := h.clients[id]
			h.mu.RUnlock()
			if c != nil && !c.enqueue(msg) {
				h.dropped.Add(1)
			}
		}()
	}
	wg.Wait()
}
