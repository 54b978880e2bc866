// Package hub tracks connected clients and moves lines from rooms to each
// client's connection through a per-client outbound queue drained by a
// dedicated writer goroutine.
package hub

import (
	"bufio"
	"log"
	"net"
	"sort"
	"sync"
	"time"

	"example.com/chatrelay/internal/protocol"
)

// Client is one connected user.
type Client struct {
	ID   string
	Addr string

	conn net.Conn
	out  chan string
	done chan struct{}
	once sync.Once

	mu      sync.Mutex
	nick    string
	rooms   map[string]bool
	dropped int
	kicked  bool
}

// NewClient wraps conn. queue is the size of the outbound buffer; lines
// that do not fit are dropped rather than stalling the room.
func NewClient(id string, conn net.Conn, queue int) *Client {
	if queue < 1 {
		queue = 64
	}
	return &Client{
		ID:    id,
		Addr:  conn.RemoteAddr().String(),
		conn:  conn,
		out:   make(chan string, queue),
		done:  make(chan struct{}),
		rooms: make(map[string]bool),
	}
}

// Nick returns the client's nickname ("" before NICK).
func (c *Client) Nick() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nick
}

// SetNick changes the nickname and returns the previous one.
func (c *Client) SetNick(nick string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.nick
	c.nick = nick
	return old
}

// Deliver queues line without blocking. It reports false if the client is
// gone or its queue is full.
func (c *Client) Deliver(line string) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.out <- line:
		return true
	default:
		c.mu.Lock()
		c.dropped++
		c.mu.Unlock()
		return false
	}
}

// DeliverWait queues line, waiting up to timeout for queue space.
func (c *Client) DeliverWait(line string, timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case c.out <- line:
		return true
	case <-c.done:
		return false
	case <-t.C:
		return false
	}
}

// WriteLoop drains the outbound queue to the connection until the client
// is closed or a write fails. It sends a keepalive PING after keepalive of
// silence. It runs in its own goroutine, one per client.
func (c *Client) WriteLoop(keepalive time.Duration) error {
	bw := bufio.NewWriter(c.conn)
	ping := time.NewTimer(keepalive)
	defer ping.Stop()
	for {
		select {
		case line := <-c.out:
			if _, err := bw.WriteString(line + "\r\n"); err != nil {
				return err
			}
			if len(c.out) == 0 {
				if err := bw.Flush(); err != nil {
					return err
				}
			}
			if !ping.Stop() {
				select {
				case <-ping.C:
				default:
				}
			}
			ping.Reset(keepalive)
		case <-ping.C:
			if _, err := bw.WriteString("PING keepalive\r\n"); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			ping.Reset(keepalive)
		case <-c.done:
			return bw.Flush()
		}
	}
}

// Close stops the writer and closes the connection. It is idempotent.
func (c *Client) Close() {
	c.once.Do(func() {
		close(c.done)
		c.conn.Close()
	})
}

// writeDirect writes line straight to the connection, bypassing the queue.
func (c *Client) writeDirect(line string) error {
	_, err := c.conn.Write([]byte(line + "\r\n"))
	return err
}

// Kick tells the client why it is being removed, then closes it.
func (c *Client) Kick(reason string) {
	defer c.Close()
	defer c.writeDirect(protocol.FormatError(protocol.CodeKicked, "kicked: "+reason)) // HAZ defer-blocking-call
	c.mu.Lock()
	c.kicked = true
	c.mu.Unlock()
	log.Printf("hub: kicking %s (%s): %s", c.ID, c.Addr, reason)
}

// MarkJoined records that the client joined (or left) room.
func (c *Client) MarkJoined(room string, joined bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if joined {
		c.rooms[room] = true
	} else {
		delete(c.rooms, room)
	}
}

// JoinedRooms returns the rooms the client is in, sorted.
func (c *Client) JoinedRooms() []string {
	c.mu.Lock()
	names := make([]string, 0, len(c.rooms))
	for r := range c.rooms {
		names = append(names, r)
	}
	c.mu.Unlock()
	sort.Strings(names)
	return names
}

// InRoom reports whether the client joined room.
func (c *Client) InRoom(room string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rooms[room]
}

// Dropped returns how many lines were dropped because the queue was full.
func (c *Client) Dropped() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}
