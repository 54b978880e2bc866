// Package client talks to kvd over its RESP-style protocol.
package client

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// Error is an error reply sent by the server.
type Error string

func (e Error) Error() string { return string(e) }

// ErrClosed is returned after Close or after a DUMP consumed the connection.
var ErrClosed = errors.New("client: connection closed")

// Client is a single connection. Methods are safe for concurrent use and
// are serialised on the connection.
type Client struct {
	mu      sync.Mutex
	conn    net.Conn
	br      *bufio.Reader
	bw      *bufio.Writer
	timeout time.Duration
}

// Dial connects to addr. timeout bounds the dial and every round trip.
func Dial(addr string, timeout time.Duration) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &Client{
		conn:    conn,
		br:      bufio.NewReader(conn),
		bw:      bufio.NewWriter(conn),
		timeout: timeout,
	}, nil
}

// Close says goodbye (best effort) and closes the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	c.conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	if writeCommand(c.bw, [][]byte{[]byte("QUIT")}) == nil {
		c.bw.Flush()
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}

func writeCommand(w *bufio.Writer, args [][]byte) error {
	if _, err := fmt.Fprintf(w, "*%d\r\n", len(args)); err != nil {
		return err
	}
	for _, a := range args {
		if _, err := fmt.Fprintf(w, "$%d\r\n", len(a)); err != nil {
			return err
		}
		if _, err := w.Write(a); err != nil {
			return err
		}
		if _, err := w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// readReply returns string, Error, int64, []byte (nil for a null bulk) or
// []interface{}.
func readReply(r *bufio.Reader) (interface{}, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 {
		return nil, fmt.Errorf("client: short reply %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return Error(body), nil
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, fmt.Errorf("client: bad bulk length %q", body)
		}
		if n < 0 {
			return []byte(nil), nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return buf[:n], nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("client: bad array length %q", body)
		}
		out := make([]interface{}, 0, n)
		for i := 0; i < n; i++ {
			v, err := readReply(r)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("client: unexpected reply %q", line)
}

// do sends one command and reads its reply.
func (c *Client) do(args ...[]byte) (interface{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, ErrClosed
	}
	if c.timeout > 0 {
		c.conn.SetDeadline(time.Now().Add(c.timeout))
	}
	if err := writeCommand(c.bw, args); err != nil {
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		return nil, err
	}
	v, err := readReply(c.br)
	if err != nil {
		return nil, err
	}
	if e, ok := v.(Error); ok {
		return nil, e
	}
	return v, nil
}

// Pipeline sends several commands in one write and reads all replies.
// Error replies are returned in place, not as the error result.
func (c *Client) Pipeline(cmds [][][]byte) ([]interface{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, ErrClosed
	}
	if c.timeout > 0 {
		c.conn.SetDeadline(time.Now().Add(c.timeout * time.Duration(len(cmds)+1)))
	}
	for _, args := range cmds {
		if err := writeCommand(c.bw, args); err != nil {
			return nil, err
		}
	}
	if err := c.bw.Flush(); err != nil {
		return nil, err
	}
	out := make([]interface{}, 0, len(cmds))
	for range cmds {
		v, err := readReply(c.br)
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Ping measures one round trip.
func (c *Client) Ping() (time.Duration, error) {
	start := time.Now()
	_, err := c.do([]byte("PING"))
	return time.Since(start), err
}

// Get returns the value of key and whether it exists.
func (c *Client) Get(key string) ([]byte, bool, error) {
	v, err := c.do([]byte("GET"), []byte(key))
	if err != nil {
		return nil, false, err
	}
	b, _ := v.([]byte)
	return b, b != nil, nil
}

// Set stores key.
func (c *Client) Set(key string, value []byte) error {
	_, err := c.do([]byte("SET"), []byte(key), value)
	return err
}

// Del removes keys and returns how many existed.
func (c *Client) Del(keys ...string) (int64, error) {
	args := [][]byte{[]byte("DEL")}
	for _, k := range keys {
		args = append(args, []byte(k))
	}
	v, err := c.do(args...)
	if err != nil {
		return 0, err
	}
	n, _ := v.(int64)
	return n, nil
}

// Scan returns up to limit pairs with the prefix.
func (c *Client) Scan(prefix string, limit int) ([][2][]byte, error) {
	v, err := c.do([]byte("SCAN"), []byte(prefix), []byte(strconv.Itoa(limit)))
	if err != nil {
		return nil, err
	}
	arr, ok := v.([]interface{})
	if !ok || len(arr)%2 != 0 {
		return nil, fmt.Errorf("client: unexpected SCAN reply %T", v)
	}
	out := make([][2][]byte, 0, len(arr)/2)
	for i := 0; i < len(arr); i += 2 {
		k, _ := arr[i].([]byte)
		val, _ := arr[i+1].([]byte)
		out = append(out, [2][]byte{k, val})
	}
	return out, nil
}

// Stats returns the server's STATS text.
func (c *Client) Stats() (string, error) {
	v, err := c.do([]byte("STATS"))
	if err != nil {
		return "", err
	}
	b, _ := v.([]byte)
	return string(b), nil
}

// Backup asks the server for a snapshot and returns its path.
func (c *Client) Backup(name string) (string, error) {
	args := [][]byte{[]byte("BACKUP")}
	if name != "" {
		args = append(args, []byte(name))
	}
	v, err := c.do(args...)
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case []byte:
		return string(v), nil
	case string:
		return v, nil
	}
	return "", fmt.Errorf("client: unexpected BACKUP reply %T", v)
}

// Dump streams every pair with the prefix to fn. The server closes the
// connection afterwards, so the client cannot be used again.
func (c *Client) Dump(prefix string, fn func(k, v []byte) error) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return 0, ErrClosed
	}
	conn := c.conn
	c.conn = nil
	defer conn.Close()

	if err := writeCommand(c.bw, [][]byte{[]byte("DUMP"), []byte(prefix)}); err != nil {
		return 0, err
	}
	if err := c.bw.Flush(); err != nil {
		return 0, err
	}
	n := 0
	for {
		v, err := readReply(c.br)
		if err != nil {
			return n, err
		}
		switch v := v.(type) {
		case int64:
			if int(v) != n {
				return n, fmt.Errorf("client: dump trailer says %d pairs, got %d", v, n)
			}
			return n, nil
		case Error:
			return n, v
		case []byte:
			val, err := readReply(c.br)
			if err != nil {
				return n, err
			}
			b, _ := val.([]byte)
			if err := fn(v, b); err != nil {
				return n, err
			}
			n++
		default:
			return n, fmt.Errorf("client: unexpected DUMP reply %T", v)
		}
	}
}

// Reconnect dials addr and swaps the connection in, closing the old one.
func (c *Client) Reconnect(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, c.timeout)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.conn
	defer func() error { // HAZ defer-ineffective-return
		if old == nil {
			return nil
		}
		return old.Close()
	}()
	c.conn = conn
	c.br = bufio.NewReader(conn)
	c.bw = bufio.NewWriter(conn)
	return nil
}
