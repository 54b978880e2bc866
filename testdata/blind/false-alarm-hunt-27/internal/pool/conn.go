// Package pool is a connection pool for a line-protocol backend: one command
// line out, one reply line back ("+..." on success, "-ERR ..." on failure).
package pool

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// DialFunc opens a network connection to addr.
type DialFunc func(ctx context.Context, addr string) (net.Conn, error)

// Conn is one connection to the backend.
type Conn struct {
	nc       net.Conn
	rw       *bufio.ReadWriter
	created  time.Time
	lastUsed time.Time
	broken   bool
}

// ServerError is an error reply sent by the backend.
type ServerError struct {
	Msg string
}

func (e *ServerError) Error() string { return "backend: " + e.Msg }

func newConn(nc net.Conn) *Conn {
	now := time.Now()
	return &Conn{
		nc:       nc,
		rw:       bufio.NewReadWriter(bufio.NewReader(nc), bufio.NewWriter(nc)),
		created:  now,
		lastUsed: now,
	}
}

// Dial opens a single unpooled connection. A nil dial uses a TCP dialer.
func Dial(ctx context.Context, dial DialFunc, addr string) (*Conn, error) {
	if dial == nil {
		dial = tcpDial
	}
	nc, err := dial(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("pool: dial %s: %w", addr, err)
	}
	return newConn(nc), nil
}

func tcpDial(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

// Exec sends cmd and waits for the reply line. The connection is marked
// broken on I/O errors so that the pool discards it instead of reusing it.
func (c *Conn) Exec(ctx context.Context, cmd string) (string, error) {
	if dl, ok := ctx.Deadline(); ok {
		if err := c.nc.SetDeadline(dl); err != nil {
			c.broken = true
			return "", err
		}
		defer c.nc.SetDeadline(time.Time{})
	}
	if _, err := c.rw.WriteString(cmd + "\r\n"); err != nil {
		c.broken = true
		return "", err
	}
	if err := c.rw.Flush(); err != nil {
		c.broken = true
		return "", err
	}
	line, err := c.rw.ReadString('\n')
	if err != nil {
		c.broken = true
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if msg, ok := strings.CutPrefix(line, "-ERR "); ok {
		return "", &ServerError{Msg: msg}
	}
	return strings.TrimPrefix(line, "+"), nil
}

// Ping checks that the backend answers.
func (c *Conn) Ping(ctx context.Context) error {
	reply, err := c.Exec(ctx, "PING")
	if err != nil {
		return err
	}
	if reply != "PONG" {
		c.broken = true
		return fmt.Errorf("pool: unexpected ping reply %q", reply)
	}
	return nil
}

// Close closes the underlying network connection.
func (c *Conn) Close() error { return c.nc.Close() }

func (c *Conn) idleExpired(now time.Time, timeout time.Duration) bool {
	return timeout > 0 && now.Sub(c.lastUsed) > timeout
}
