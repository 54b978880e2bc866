package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"example.com/leaselock/internal/lease"
	"example.com/leaselock/internal/watch"
)

// conn is one client connection. Its read loop runs on one goroutine; each
// WATCH adds a pump goroutine that writes events, hence wmu around bw.
type conn struct {
	s        *Server
	nc       net.Conn
	br       *bufio.Reader
	remote   string
	session  *lease.Session
	watchers []*watch.Watcher

	wmu sync.Mutex
	bw  *bufio.Writer
}

func (s *Server) newConn(nc net.Conn) *conn {
	remote := nc.RemoteAddr().String()
	return &conn{
		s:       s,
		nc:      nc,
		br:      bufio.NewReader(nc),
		bw:      bufio.NewWriter(nc),
		remote:  remote,
		session: lease.NewSession(remote),
	}
}

// serve runs the read/dispatch loop until the client quits or the
// connection fails. A panic in a command handler only drops this client.
func (c *conn) serve() {
	defer func() {
		if r := recover(); r != nil {
			c.s.logger.Printf("server: conn %s: panic: %v\n%s", c.remote, r, debug.Stack())
			c.s.panics.Inc()
		}
	}()
	defer c.close()
	go c.session.Monitor(c.s.leases, c.s.cfg.SessionGrace) // HAZ goroutine-outside-recover
	for {
		if c.s.cfg.IdleTimeout > 0 {
			c.nc.SetReadDeadline(time.Now().Add(c.s.cfg.IdleTimeout))
		}
		line, err := c.br.ReadString('\n')
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.s.logger.Printf("server: conn %s: read: %v", c.remote, err)
			}
			return
		}
		c.session.Touch()
		if quit := c.dispatch(strings.TrimSpace(line)); quit {
			return
		}
	}
}

// idleFor returns how long the client has been silent.
func (c *conn) idleFor() time.Duration {
	return c.session.IdleSince(time.Now())
}

// close cancels the connection's watchers, stops its session monitor and
// closes the socket.
func (c *conn) close() {
	for _, w := range c.watchers {
		c.s.hub.Cancel(w)
	}
	c.session.Close()
	c.nc.Close()
	c.s.onConnClosed(c.remote)
}

// writeLine writes one formatted response line and flushes it.
func (c *conn) writeLine(format string, args ...any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.bw, format, args...); err != nil {
		return err
	}
	if err := c.bw.WriteByte('\n'); err != nil {
		return err
	}
	return c.bw.Flush()
}

func (c *conn) writeErr(err error) {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if werr := c.writeLine("ERR %s", msg); werr != nil {
		c.s.logger.Printf("server: conn %s: write: %v", c.remote, werr)
	}
}

// pump forwards a watcher's events to the client until the watcher is
// cancelled or the connection breaks.
func (c *conn) pump(w *watch.Watcher) {
	defer c.s.handlePanic("watch pump " + c.remote)
	for ev := range w.C() {
		if err := c.writeLine("EVENT %s %s %d %d", ev.Type, ev.Key, ev.Lease, ev.Rev); err != nil {
			c.s.hub.Cancel(w)
			return
		}
	}
}
