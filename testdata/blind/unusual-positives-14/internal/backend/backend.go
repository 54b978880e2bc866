// Package backend checks and opens pools of connections to the line-protocol
// backend.
package backend

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"example.com/up14/internal/connpool"
)

// Checker knows how to reach one backend.
type Checker struct {
	Addr    string
	Size    int
	Timeout time.Duration
}

func (c *Checker) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", c.Addr)
}

// RoundTrip sends one command line on conn and returns the reply line.
func RoundTrip(conn net.Conn, cmd string, timeout time.Duration) (string, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err := io.WriteString(conn, cmd+"\r\n"); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func ping(conn net.Conn, timeout time.Duration) error {
	reply, err := RoundTrip(conn, "PING", timeout)
	if err != nil {
		return err
	}
	if reply != "PONG" {
		return fmt.Errorf("backend: unexpected reply %q to PING", reply)
	}
	return nil
}

// Check warms a throwaway pool against the backend and pings through it.
func (c *Checker) Check(ctx context.Context) error {
	p, err := connpool.New[net.Conn](ctx, c.Size, c.dial)
	defer p.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("backend %s: %w", c.Addr, err)
	}
	conn, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer p.Put(conn)
	return ping(conn, c.Timeout)
}

// CheckOnce is Check with the constructor's error handled first.
func (c *Checker) CheckOnce(ctx context.Context) error {
	p, err := connpool.New[net.Conn](ctx, 1, c.dial)
	if err != nil {
		return fmt.Errorf("backend %s: %w", c.Addr, err)
	}
	defer p.Close()
	conn, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer p.Put(conn)
	return ping(conn, c.Timeout)
}

// Open returns a warmed pool whose first connection answered a ping.
func (c *Checker) Open(ctx context.Context) (*connpool.Pool[net.Conn], error) {
	p, err := connpool.New[net.Conn](ctx, c.Size, c.dial)
	if err != nil {
		return nil, err
	}
	conn, err := p.Get(ctx)
	if err != nil {
		p.Close()
		return nil, err
	}
	if err := ping(conn, c.Timeout); err != nil {
		conn.Close()
		p.Close()
		return nil, fmt.Errorf("backend %s: %w", c.Addr, err)
	}
	p.Put(conn)
	return p, nil
}
