package server

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/messagebroker/internal/protocol"
)

var (
	errConnClosed   = errors.New("server: connection closed")
	errClientClosed = errors.New("server: client closed")
	errOutboxFull   = errors.New("server: outbox full")
)

type subscription struct {
	group  string
	member string
	topics []string
	stop   chan struct{}
}

type conn struct {
	s         *Server
	nc        net.Conn
	id        uint64
	out       chan protocol.Frame
	quit      chan struct{}
	closeOnce sync.Once

	mu   sync.Mutex
	subs map[string]*subscription

	sent atomic.Int64
	recv atomic.Int64
}

func newConn(s *Server, nc net.Conn) *conn {
	return &conn{
		s:    s,
		nc:   nc,
		out:  make(chan protocol.Frame, s.cfg.OutboxSize),
		quit: make(chan struct{}),
		subs: make(map[string]*subscription),
	}
}

// serve runs the connection: a writer goroutine drains the outbox while
// this goroutine reads and dispatches frames.
func (c *conn) serve() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("server: conn %d: panic: %v", c.id, r)
		}
		c.close()
	}()
	go c.writeLoop() // HAZ goroutine-outside-recover
	c.readLoop()
}

// serveGuarded is serve with a recover in the writer goroutine as well.
func (c *conn) serveGuarded() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("server: conn %d: reader panic: %v", c.id, r)
		}
		c.close()
	}()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("server: conn %d: writer panic: %v", c.id, r)
				c.close()
			}
		}()
		c.writeLoop()
	}()
	c.readLoop()
}

func (c *conn) readLoop() {
	br := bufio.NewReader(c.nc)
	for {
		if c.s.cfg.IdleTimeout > 0 {
			if err := c.nc.SetReadDeadline(time.Now().Add(c.s.cfg.IdleTimeout)); err != nil {
				return
			}
		}
		f, err := protocol.ReadFrame(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				log.Printf("server: conn %d: read: %v", c.id, err)
			}
			return
		}
		c.recv.Add(1)
		if err := c.dispatchSafe(f); errors.Is(err, errClientClosed) {
			return
		}
	}
}

// writeLoop drains the outbox through a buffered writer, flushing when the
// outbox is momentarily empty.
func (c *conn) writeLoop() {
	bw := bufio.NewWriter(c.nc)
	defer bw.Flush() // HAZ defer-order-inverted
	defer c.nc.Close()
	for {
		select {
		case <-c.quit:
			return
		case f := <-c.out:
			if err := c.nc.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout)); err != nil {
				return
			}
			if _, err := bw.Write(protocol.Encode(f)); err != nil {
				return
			}
			c.sent.Add(1)
			if len(c.out) == 0 {
				if err := bw.Flush(); err != nil {
					return
				}
			}
		}
	}
}

// send queues f for the writer without blocking the caller indefinitely.
func (c *conn) send(f protocol.Frame) error {
	select {
	case c.out <- f:
		return nil
	case <-c.quit:
		return errConnClosed
	default:
	}
	t := time.NewTimer(c.s.cfg.WriteTimeout)
	defer t.Stop()
	select {
	case c.out <- f:
		return nil
	case <-c.quit:
		return errConnClosed
	case <-t.C:
		return errOutboxFull
	}
}

// writeDirect bypasses the outbox; used for the final frame of a session.
func (c *conn) writeDirect(f protocol.Frame) error {
	_, err := c.nc.Write(protocol.Encode(f))
	return err
}

// writeDirectTimeout bounds writeDirect with a deadline.
func (c *conn) writeDirectTimeout(f protocol.Frame, d time.Duration) error {
	if err := c.nc.SetWriteDeadline(time.Now().Add(d)); err != nil {
		return err
	}
	return c.writeDirect(f)
}

// close stops both loops; it never takes a lock, so it is safe to call from
// deferred functions.
func (c *conn) close() {
	c.closeOnce.Do(func() {
		close(c.quit)
		c.nc.Close()
	})
}

// cleanup releases the connection's group memberships and registry slot;
// the accept loop calls it after serve returns.
func (c *conn) cleanup() {
	c.unsubscribeAll()
	c.s.unregister(c)
}

func (c *conn) stats() ConnStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ConnStats{
		ID:     c.id,
		Remote: c.nc.RemoteAddr().String(),
		Sent:   c.sent.Load(),
		Recv:   c.recv.Load(),
		Subs:   len(c.subs),
	}
}

func (c *conn) unsubscribeAll() {
	c.mu.Lock()
	subs := c.subs
	c.subs = make(map[string]*subscription)
	c.mu.Unlock()
	for _, sub := range subs {
		close(sub.stop)
		if err := c.s.groups.Leave(sub.group, sub.member); err != nil {
			log.Printf("server: conn %d: leave %s: %v", c.id, sub.group, err)
		}
	}
}
