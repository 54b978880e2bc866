// Package remote talks to remote execution nodes: a framed TCP protocol for
// commands and an HTTP side channel for health and blobs.
package remote

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// stopper stops background work tied to a client.
type stopper interface {
	Stop()
}

// heartbeat pings the node while a command runs.
type heartbeat struct {
	stop  chan struct{}
	once  sync.Once
	every time.Duration
}

func newHeartbeat(every time.Duration) *heartbeat {
	return &heartbeat{stop: make(chan struct{}), every: every}
}

// run pings conn until stopped.
func (h *heartbeat) run(conn net.Conn) {
	t := time.NewTicker(h.every)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			conn.SetWriteDeadline(time.Now().Add(h.every))
			if _, err := conn.Write([]byte{0, 0, 0, 0}); err != nil {
				return
			}
		}
	}
}

// Stop hands the stop signal to the running ping loop.
func (h *heartbeat) Stop() { h.stop <- struct{}{} }

// Shutdown stops the ping loop whether or not it is running.
func (h *heartbeat) Shutdown() { h.once.Do(func() { close(h.stop) }) }

// Client is a connection-oriented client for one node.
type Client struct {
	addr    string
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	hb      *heartbeat
	stopper stopper
	onClose func()
	logf    func(format string, args ...any)

	mu   sync.Mutex
	conn net.Conn
}

// Option configures a Client.
type Option func(*Client)

// WithOnClose sets a hook run after Close.
func WithOnClose(fn func()) Option { return func(c *Client) { c.onClose = fn } }

// WithLogf sets the logger.
func WithLogf(logf func(string, ...any)) Option { return func(c *Client) { c.logf = logf } }

// NewClient returns a client for addr.
func NewClient(addr string, opts ...Option) *Client {
	var d net.Dialer
	c := &Client{addr: addr, dial: d.DialContext, hb: newHeartbeat(time.Second), logf: func(string, ...any) {}}
	c.stopper = c.hb
	for _, o := range opts {
		o(c)
	}
	return c
}

// Close closes the cached connection and runs the close hook.
func (c *Client) Close() error {
	defer c.onClose() // HAZ defer-nil-func
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}

func (c *Client) connect(ctx context.Context) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("remote: dial %s: %w", c.addr, err)
	}
	c.conn = conn
	return conn, nil
}

func writeFrame(w io.Writer, p []byte) error {
	if err := binary.Write(w, binary.BigEndian, uint32(len(p))); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

func readFrame(r io.Reader) ([]byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	if n > 64<<20 {
		return nil, fmt.Errorf("remote: frame of %d bytes", n)
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return p, err
}

// Exec runs a command on the node, keeping the session alive with pings.
func (c *Client) Exec(ctx context.Context, args []string) ([]byte, error) {
	defer c.stopper.Stop() // HAZ defer-blocking-call
	conn, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	go c.hb.run(conn)
	for _, a := range args {
		if err := writeFrame(conn, []byte(a)); err != nil {
			return nil, err
		}
	}
	if err := writeFrame(conn, nil); err != nil {
		return nil, err
	}
	return readFrame(conn)
}

// ExecOnce runs a command on a dedicated connection.
func (c *Client) ExecOnce(ctx context.Context, args []string) ([]byte, error) {
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	hb := newHeartbeat(time.Second)
	defer hb.Shutdown()
	go hb.run(conn)
	for _, a := range args {
		if err := writeFrame(conn, []byte(a)); err != nil {
			return nil, err
		}
	}
	if err := writeFrame(conn, nil); err != nil {
		return nil, err
	}
	return readFrame(conn)
}

// SendFrames writes frames to a fresh connection through a buffer.
func (c *Client) SendFrames(ctx context.Context, frames [][]byte) (err error) {
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()
	for _, f := range frames {
		if err := writeFrame(bw, f); err != nil {
			return err
		}
	}
	return nil
}

// SendFramesSync is SendFrames with the buffer flushed before the
// connection is closed.
func (c *Client) SendFramesSync(ctx context.Context, frames [][]byte) (err error) {
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for _, f := range frames {
		if err := writeFrame(bw, f); err != nil {
			return err
		}
	}
	return nil
}

// Stream sends the batches in order, redialling when a write fails.
func (c *Client) Stream(ctx context.Context, batches [][]byte) error {
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for _, b := range batches {
		for {
			if err = writeFrame(conn, b); err == nil {
				break
			}
			c.logf("remote: write to %s failed (%v), redialling", c.addr, err)
			conn, err = c.dial(ctx, "tcp", c.addr)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// StreamRedial is Stream with the connection closed whenever it is replaced.
func (c *Client) StreamRedial(ctx context.Context, batches [][]byte) error {
	conn, err := c.dial(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()
	for _, b := range batches {
		for writeFrame(conn, b) != nil {
			next, err := c.dial(ctx, "tcp", c.addr)
			if err != nil {
				return err
			}
			conn.Close()
			conn = next
		}
	}
	return nil
}
