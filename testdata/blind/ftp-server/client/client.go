// Package client is a client library for the ftpsrv protocol: control
// connection, passive data connections, uploads, downloads and listings,
// with retries for transient failures.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

// Config describes how to reach and log into a server.
type Config struct {
	Addr     string
	User     string
	Password string
	Timeout  time.Duration // per dial and per reply
	Retries  int           // extra attempts for transient failures
	Backoff  time.Duration // first retry delay, doubled each time
	Debug    bool          // log command timings
}

// Client is one logged-in session. Methods may be called from several
// goroutines; commands are serialised.
type Client struct {
	cfg  Config
	mu   sync.Mutex
	conn *protocol.Conn
}

// Dial connects and logs in, retrying transient failures.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.User == "" {
		cfg.User = "anonymous"
	}
	c := &Client{cfg: cfg}
	err := withRetry(ctx, cfg, "connect to "+cfg.Addr, func() error {
		return c.connect(ctx)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// connect opens the control connection, reads the banner and logs in.
func (c *Client) connect(ctx context.Context) error {
	raw, err := c.dial(ctx)
	if err != nil {
		return err
	}
	conn := protocol.NewConn(raw)
	r, err := conn.ReadReply(c.cfg.Timeout)
	if err != nil {
		raw.Close()
		return err
	}
	if r.Code != protocol.CodeReady {
		raw.Close()
		return r
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn = conn
	if err := c.loginLocked(); err != nil {
		raw.Close()
		c.conn = nil
		return err
	}
	return nil
}

// dial opens the TCP connection, giving up when ctx ends.
func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	ch := make(chan result)
	go func() {
		conn, err := net.DialTimeout("tcp", c.cfg.Addr, c.cfg.Timeout)
		ch <- result{conn, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// loginLocked runs USER/PASS. c.mu must be held.
func (c *Client) loginLocked() error {
	r, err := c.cmdLocked(0, "USER %s", c.cfg.User)
	if err != nil {
		return err
	}
	switch r.Code {
	case protocol.CodeLoggedIn:
		return nil
	case protocol.CodeNeedPassword:
		_, err = c.cmdLocked(protocol.CodeLoggedIn, "PASS %s", c.cfg.Password)
		return err
	default:
		return r
	}
}

// cmdLocked sends one command and reads the reply. A non-zero want makes
// any other code an error. c.mu must be held.
func (c *Client) cmdLocked(want int, format string, args ...any) (protocol.Reply, error) {
	if c.conn == nil {
		return protocol.Reply{}, errors.New("client: not connected")
	}
	if err := c.conn.Send(format, args...); err != nil {
		return protocol.Reply{}, err
	}
	return c.readLocked(want)
}

// readLocked reads one reply. c.mu must be held.
func (c *Client) readLocked(want int) (protocol.Reply, error) {
	r, err := c.conn.ReadReply(c.cfg.Timeout)
	if err != nil {
		return r, err
	}
	if want != 0 && r.Code != want {
		return r, r
	}
	return r, nil
}

// Cmd runs a simple command such as "MKD dir" and checks the reply code.
func (c *Client) Cmd(want int, format string, args ...any) (protocol.Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cmdLocked(want, format, args...)
}

// pasvLocked asks for a passive port and connects to it. c.mu must be held.
func (c *Client) pasvLocked(ctx context.Context) (net.Conn, error) {
	r, err := c.cmdLocked(protocol.CodePassive, "PASV")
	if err != nil {
		return nil, err
	}
	addr, err := protocol.ParsePASV(strings.Join(r.Lines, " "))
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: c.cfg.Timeout}
	dc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("client: data connection to %s: %w", addr, err)
	}
	return dc, nil
}

// Quit ends the session politely and closes the connection.
func (c *Client) Quit() error {
	defer func() error { // HAZ defer-ineffective-return
		return c.conn.Close()
	}()
	_, err := c.Cmd(protocol.CodeClosing, "QUIT")
	return err
}

// Close drops the connection without QUIT.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}
