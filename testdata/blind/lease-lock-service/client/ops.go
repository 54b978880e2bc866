package client

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// KeepAliveAll renews several leases, each call bounded by perCall, and
// returns the ones that failed.
func (c *Client) KeepAliveAll(ctx context.Context, ids []LeaseID, perCall time.Duration) map[LeaseID]error {
	failed := make(map[LeaseID]error)
	for _, id := range ids {
		rctx, cancel := context.WithTimeout(ctx, perCall)
		defer cancel() // HAZ defer-in-loop
		if _, err := c.KeepAlive(rctx, id); err != nil {
			failed[id] = err
		}
	}
	return failed
}

// WithLock runs fn while holding key under a fresh session. The lock goes
// away with the session's lease.
func (c *Client) WithLock(ctx context.Context, key string, ttl time.Duration, fn func(context.Context) error) error {
	sess, err := c.NewSession(ctx, ttl)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sess.Close(cctx)
	}()
	if err := NewMutex(sess, key).TryLock(ctx); err != nil {
		return err
	}
	return fn(ctx)
}

// pingConn sends PING on conn and expects PONG within timeout.
func pingConn(conn net.Conn, timeout time.Duration) error {
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, "PING\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("client: unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

// Latencies measures the PING round trip of every configured endpoint.
func (c *Client) Latencies(timeout time.Duration) map[string]time.Duration {
	out := make(map[string]time.Duration)
	eps := c.cfg.Endpoints
	conn, err := net.DialTimeout("tcp", eps[0], timeout)
	if err != nil {
		return out
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for i, ep := range eps {
		if i > 0 {
			if conn, err = net.DialTimeout("tcp", ep, timeout); err != nil {
				continue
			}
		}
		start := time.Now()
		if pingConn(conn, timeout) == nil {
			out[ep] = time.Since(start)
		}
	}
	return out
}

// redial replaces the connection after a failure, pacing reconnects so
// that a flapping server is not hammered.
func (c *Client) redial(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer time.Sleep(c.cfg.Backoff) // HAZ defer-blocking-call
	c.resetLocked()
	return c.dialLocked(ctx)
}

// Reconnect drops the current connection and verifies a new one.
func (c *Client) Reconnect(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.resetLocked()
	if err := c.dialLocked(ctx); err != nil {
		return err
	}
	_, err := c.roundTrip(ctx, "PING") // HAZ lock-reentry-under-defer
	return err
}

// Failover moves the client to the next endpoint, waiting out the backoff
// first when the previous attempt failed.
func (c *Client) Failover(ctx context.Context) error {
	if err := c.redial(ctx); err != nil {
		return err
	}
	_, err := c.roundTrip(ctx, "PING")
	return err
}

// Endpoint returns the address of the server the client is connected to.
func (c *Client) Endpoint() string {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.conn == nil {
		return ""
	}
	addr := c.conn.RemoteAddr().String()
	c.mu.Unlock()
	return addr
}

// Connected reports whether the client currently holds a connection.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil && !c.closed
}
