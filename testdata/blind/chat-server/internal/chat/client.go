package chat

import (
	"bufio"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatserver/internal/proto"
	"example.com/chatserver/internal/ratelimit"
)

// Errors returned to clients.
var (
	ErrRateLimited = errors.New("rate limited, slow down")
	ErrNotInRoom   = errors.New("join a room first")
	ErrNoNick      = errors.New("set a nick first")
	ErrNickTaken   = errors.New("nick already in use")
	ErrNoSuchNick  = errors.New("no such nick")
	ErrRoomFull    = errors.New("room is full")
	ErrSlowClient  = errors.New("client queue full")
)

// CommandHandler executes parsed commands for a client.
type CommandHandler interface {
	Handle(c *Client, cmd proto.Command) error
}

// Client is one connected user. Lines for the client are queued on send and
// written by a dedicated writer goroutine (WriteLoop).
type Client struct {
	ID   string
	Nick string

	conn    net.Conn
	send    chan string
	limiter *ratelimit.Bucket

	mu     sync.Mutex
	room   *Room
	closed bool

	dropped atomic.Uint64
}

// NewClient wraps conn. queue is the depth of the outgoing line queue.
func NewClient(id string, conn net.Conn, queue int, limiter *ratelimit.Bucket) *Client {
	if queue <= 0 {
		queue = 64
	}
	return &Client{ID: id, conn: conn, send: make(chan string, queue), limiter: limiter}
}

// RemoteAddr returns the peer address for logging.
func (c *Client) RemoteAddr() string {
	if c.conn == nil {
		return "-"
	}
	return c.conn.RemoteAddr().String()
}

// Room returns the room the client is in, or nil.
func (c *Client) Room() *Room {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.room
}

func (c *Client) setRoom(r *Room) {
	c.mu.Lock()
	c.room = r
	c.mu.Unlock()
}

// Enqueue queues line without blocking. It returns false when the client is
// gone or its queue is full (the caller evicts slow clients).
func (c *Client) Enqueue(line string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	select {
	case c.send <- line:
		return true
	default:
		c.dropped.Add(1)
		return false
	}
}

// Close stops the writer. It is safe to call more than once.
func (c *Client) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.send)
	c.mu.Unlock()
}

// Dropped returns the number of lines dropped because the queue was full.
func (c *Client) Dropped() uint64 { return c.dropped.Load() }

// WriteLoop drains the send queue onto the connection until Close is called
// or a write fails. Lines are batched and flushed when the queue runs empty.
func (c *Client) WriteLoop(timeout time.Duration) error {
	bw := bufio.NewWriter(c.conn)
	for line := range c.send {
		if err := c.conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
			return err
		}
		if _, err := bw.WriteString(line + "\r\n"); err != nil {
			return err
		}
		if len(c.send) == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// ReadLoop reads and dispatches commands until the connection fails, the
// client sends QUIT (nil error) or the idle timeout expires.
func (c *Client) ReadLoop(h CommandHandler, idle time.Duration) error {
	sc := proto.NewScanner(c.conn)
	for {
		if err := c.conn.SetReadDeadline(time.Now().Add(idle)); err != nil {
			return err
		}
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return err
			}
			return io.EOF
		}
		cmd, err := proto.Parse(sc.Text())
		if err != nil {
			c.Enqueue(proto.FormatError(err))
			continue
		}
		if c.limiter != nil && !c.limiter.Allow() {
			c.Enqueue(proto.FormatError(ErrRateLimited))
			continue
		}
		if cmd.Kind == proto.KindQuit {
			return nil
		}
		if err := h.Handle(c, cmd); err != nil {
			c.Enqueue(proto.FormatError(err))
		}
	}
}

// sendBlocking delivers a line that should not be dropped (server notices),
// waiting up to d for queue space.
func sendBlocking(c *Client, line string, d time.Duration) (ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// the queue was closed under us: the client is gone anyway
		}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case c.send <- line:
		return true
	case <-t.C:
		return false
	}
}
