package chat

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

const (
	writeTimeout = 10 * time.Second
	queueLen     = 64
)

// Client is one connected user.
type Client struct {
	srv  *Server
	conn net.Conn

	mu   sync.Mutex
	nick string
	room *Room

	out       chan string
	done      chan struct{}
	closeOnce sync.Once
}

func newClient(srv *Server, conn net.Conn, nick string) *Client {
	return &Client{
		srv:  srv,
		conn: conn,
		nick: nick,
		out:  make(chan string, queueLen),
		done: make(chan struct{}),
	}
}

// Nick returns the client's nickname.
func (c *Client) Nick() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nick
}

func (c *Client) setNick(n string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.nick
	c.nick = n
	return old
}

func (c *Client) currentRoom() *Room {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.room
}

// swapRoom sets the current room and returns the previous one.
func (c *Client) swapRoom(r *Room) *Room {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev := c.room
	c.room = r
	return prev
}

// send queues msg without blocking; it reports whether the line was queued.
func (c *Client) send(msg string) bool {
	select {
	case c.out <- msg:
		return true
	case <-c.done:
		return false
	default:
		return false // slow reader: drop the line rather than stall the room
	}
}

func (c *Client) serve() {
	defer func() {
		if r := recover(); r != nil {
			c.srv.logf("chat: client %s: panic: %v", c.Nick(), r)
		}
		c.close()
	}()
	go c.writeLoop() // HAZ goroutine-outside-recover
	c.readLoop()
}

func (c *Client) readLoop() {
	defer c.conn.Write([]byte("* bye\n")) // HAZ defer-blocking-call
	sc := bufio.NewScanner(c.conn)
	sc.Buffer(make([]byte, 0, 1024), 8192)
	c.send("* welcome, " + c.Nick() + "; /join <room> to start")
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line == "/quit" {
			return
		}
		c.srv.runCommand(c, line)
	}
}

func (c *Client) writeLoop() {
	for {
		select {
		case msg := <-c.out:
			if err := c.conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
				c.close()
				return
			}
			if _, err := io.WriteString(c.conn, msg+"\n"); err != nil {
				c.close()
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *Client) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		_ = c.conn.Close()
		if r := c.swapRoom(nil); r != nil {
			r.Leave(c)
		}
		c.srv.forget(c)
	})
}
