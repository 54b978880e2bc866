// Package client is the Go client of the lease server: a single connection
// with retries and failover across endpoints, sessions that keep their
// lease alive in the background, distributed mutexes and watches.
package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("client: closed")

// ServerError is an ERR reply; it is never retried.
type ServerError struct {
	Msg string
}

func (e *ServerError) Error() string { return "server: " + e.Msg }

// LeaseID identifies a lease.
type LeaseID int64

// Config configures a Client.
type Config struct {
	Endpoints   []string
	DialTimeout time.Duration
	MaxRetries  int
	Backoff     time.Duration
}

// Client is safe for concurrent use; requests are serialised on one
// connection.
type Client struct {
	cfg Config

	mu       sync.Mutex
	conn     net.Conn
	br       *bufio.Reader
	endpoint int
	closed   bool

	lost      chan string
	closing   chan struct{}
	lostCount atomic.Int64
}

// New connects to the first reachable endpoint.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if len(cfg.Endpoints) == 0 {
		return nil, errors.New("client: no endpoints")
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 2 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 50 * time.Millisecond
	}
	c := &Client{cfg: cfg, lost: make(chan string), closing: make(chan struct{})}
	c.mu.Lock()
	err := c.dialLocked(ctx)
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	go c.watchMonitor()
	return c, nil
}

// dialLocked connects to the endpoints in turn, starting with the last one
// that worked. The caller holds c.mu.
func (c *Client) dialLocked(ctx context.Context) error {
	var lastErr error
	for i := 0; i < len(c.cfg.Endpoints); i++ {
		n := (c.endpoint + i) % len(c.cfg.Endpoints)
		d := net.Dialer{Timeout: c.cfg.DialTimeout}
		conn, err := d.DialContext(ctx, "tcp", c.cfg.Endpoints[n])
		if err != nil {
			lastErr = err
			continue
		}
		c.conn, c.br, c.endpoint = conn, bufio.NewReader(conn), n
		return nil
	}
	return fmt.Errorf("client: no endpoint reachable: %w", lastErr)
}

// resetLocked drops a broken connection; the next request redials.
func (c *Client) resetLocked() {
	if c.conn != nil {
		c.conn.Close()
	}
	c.conn, c.br = nil, nil
	c.endpoint++
}

// roundTrip sends one request line and reads the reply.
func (c *Client) roundTrip(ctx context.Context, line string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", ErrClosed
	}
	if c.conn == nil {
		if err := c.dialLocked(ctx); err != nil {
			return "", err
		}
	}
	dl, _ := ctx.Deadline()
	c.conn.SetDeadline(dl)
	if _, err := io.WriteString(c.conn, line+"\n"); err != nil {
		c.resetLocked()
		return "", err
	}
	resp, err := c.br.ReadString('\n')
	if err != nil {
		c.resetLocked()
		return "", err
	}
	resp = strings.TrimSpace(resp)
	if msg, ok := strings.CutPrefix(resp, "ERR "); ok {
		return "", &ServerError{Msg: msg}
	}
	return strings.TrimSpace(strings.TrimPrefix(resp, "OK")), nil
}

// do retries roundTrip on transport errors with exponential backoff.
func (c *Client) do(ctx context.Context, line string) (string, error) {
	backoff := c.cfg.Backoff
	var lastErr error
	for attempt := 0; attempt <= c.cfg.MaxRetries; attempt++ {
		resp, err := c.roundTrip(ctx, line)
		var se *ServerError
		if err == nil || errors.As(err, &se) || errors.Is(err, ErrClosed) {
			return resp, err
		}
		lastErr = err
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
	return "", fmt.Errorf("client: %d attempts: %w", c.cfg.MaxRetries+1, lastErr)
}

// Grant asks for a lease with the given TTL.
func (c *Client) Grant(ctx context.Context, ttl time.Duration) (LeaseID, error) {
	resp, err := c.do(ctx, fmt.Sprintf("GRANT %d", ttl.Milliseconds()))
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(resp, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("client: bad GRANT reply %q", resp)
	}
	return LeaseID(n), nil
}

// KeepAlive renews a lease and returns its TTL.
func (c *Client) KeepAlive(ctx context.Context, id LeaseID) (time.Duration, error) {
	resp, err := c.do(ctx, fmt.Sprintf("KEEPALIVE %d", id))
	if err != nil {
		return 0, err
	}
	ms, err := strconv.ParseInt(resp, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("client: bad KEEPALIVE reply %q", resp)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Revoke drops a lease now.
func (c *Client) Revoke(ctx context.Context, id LeaseID) error {
	_, err := c.do(ctx, fmt.Sprintf("REVOKE %d", id))
	return err
}

// watchMonitor logs watch streams that ended because their connection
// dropped, until the client is closed.
func (c *Client) watchMonitor() {
	for {
		select {
		case <-c.closing:
			return
		case prefix := <-c.lost:
			c.lostCount.Add(1)
			log.Printf("client: watch on %q lost; re-watch to resume", prefix)
		}
	}
}

// Close closes the connection. Sessions must be closed first.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	close(c.closing)
	if c.conn == nil {
		return nil
	}
	return c.conn.Close()
}

// Ping opens a fresh connection to addr and checks that a server answers
// there. It does not touch the client's own connection.
func Ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, "PING\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("client: %s answered %q", addr, strings.TrimSpace(line))
	}
	return nil
}
