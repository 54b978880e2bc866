package hub

import (
	"bufio"
	"bytes"
	"net"
	"sync"
	"time"
)

// Client is one connected peer with its own send queue.
type Client struct {
	hub  *Hub
	conn net.Conn
	send chan []byte
	name string

	mu       sync.Mutex
	lastSeen time.Time
}

func newClient(h *Hub, conn net.Conn) *Client {
	return &Client{hub: h, conn: conn, send: make(chan []byte, 64), name: conn.RemoteAddr().String(), lastSeen: time.Now()}
}

func (c *Client) touch() {
	c.mu.Lock()
	c.lastSeen = time.Now()
	c.mu.Unlock()
}

func (c *Client) idleSince(cutoff time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastSeen.Before(cutoff)
}

// writePump drains the send queue to the connection; it ends when the hub
// closes the queue or a write fails.
func (c *Client) writePump() {
	defer c.conn.Close() // ok: plain Close
	bw := bufio.NewWriter(c.conn)
	for msg := range c.send {
		c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := bw.Write(msg); err != nil {
			return
		}
		if err := bw.WriteByte('\n'); err != nil {
			return
		}
		if len(c.send) == 0 {
			if err := bw.Flush(); err != nil {
				return
			}
		}
	}
}

// readPump relays lines from the peer to the hub.
func (c *Client) readPump() {
	defer func() { c.hub.unregister <- c }() // HAZ defer-blocking-call
	sc := bufio.NewScanner(c.conn)
	for sc.Scan() {
		c.touch()
		line := append([]byte(nil), sc.Bytes()...)
		c.hub.notifyHooks(c.name, line)
		c.handleMessage(line)
	}
}

// readPumpBounded is readPump with a leave that cannot outlive the hub.
func (c *Client) readPumpBounded() {
	sc := bufio.NewScanner(c.conn)
	for sc.Scan() {
		c.touch()
		line := append([]byte(nil), sc.Bytes()...)
		c.hub.notifyHooks(c.name, line)
		c.handleMessage(line)
	}
	select {
	case c.hub.unregister <- c:
	case <-c.hub.done:
	}
}

// handleMessage passes one line to hooks and the broadcast queue.
func (c *Client) handleMessage(msg []byte) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	if room, ok := bytes.CutPrefix(msg, []byte("/join ")); ok {
		c.hub.JoinRoom(c, string(room))
		return
	}
	if room, ok := bytes.CutPrefix(msg, []byte("/leave ")); ok {
		c.hub.LeaveRoom(c, string(room))
		return
	}
	c.hub.Broadcast(msg)
}
