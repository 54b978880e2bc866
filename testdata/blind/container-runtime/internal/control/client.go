package control

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Client is a synchronous control-socket client, as used by crtctl.
type Client struct {
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to the daemon's control socket.
func Dial(path string, timeout time.Duration) (*Client, error) {
	conn, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to crtd at %s: %w", path, err)
	}
	return &Client{conn: conn, r: bufio.NewReader(conn)}, nil
}

// Call sends req and decodes the result into out (which may be nil).
func (c *Client) Call(req Request, out any) error {
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	defer c.conn.SetDeadline(time.Time{})
	if err := json.NewEncoder(c.conn).Encode(req); err != nil {
		return fmt.Errorf("send %s: %w", req.Op, err)
	}
	line, err := c.r.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("read %s response: %w", req.Op, err)
	}
	var resp Response
	if err := json.Unmarshal(line, &resp); err != nil {
		return fmt.Errorf("decode %s response: %w", req.Op, err)
	}
	if !resp.OK {
		return errors.New(resp.Error)
	}
	if out == nil || len(resp.Data) == 0 {
		return nil
	}
	return json.Unmarshal(resp.Data, out)
}

// CallWithRedial is Call on a fresh connection, redialling once when the
// daemon restarted and dropped the first one.
func CallWithRedial(path string, req Request, out any) error {
	c, err := Dial(path, time.Second)
	if err != nil {
		return err
	}
	defer c.Close() // HAZ defer-eager-evaluation
	err = c.Call(req, out)
	if err == nil || !(isClosed(err) || errors.Is(err, io.EOF)) {
		return err
	}
	c, err = Dial(path, 5*time.Second)
	if err != nil {
		return err
	}
	return c.Call(req, out)
}

// WaitReady blocks until the daemon at path answers a ping, retrying while
// it is still starting up.
func WaitReady(path string, attempts int) error {
	var lastErr error
	for i := 0; i < attempts; i++ {
		conn, err := net.DialTimeout("unix", path, time.Second)
		if err != nil {
			lastErr = err
			time.Sleep(200 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		c := &Client{conn: conn, r: bufio.NewReader(conn)}
		if lastErr = c.Call(Request{Op: "ping"}, nil); lastErr == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("crtd at %s not ready: %w", path, lastErr)
}

// Stream sends req for a streaming operation and hands the raw connection
// to the caller, who owns it from then on.
func (c *Client) Stream(req Request) (net.Conn, error) {
	if err := json.NewEncoder(c.conn).Encode(req); err != nil {
		return nil, err
	}
	conn := c.conn
	c.conn = nil
	return conn, nil
}

// Close closes the connection unless it was handed out by Stream.
func (c *Client) Close() error {
	if c.conn == nil {
		return nil
	}
	return c.conn.Close()
}
