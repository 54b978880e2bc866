package rpc

import (
	"bufio"
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Client errors.
var (
	ErrClosed  = errors.New("rpc: client closed")
	ErrTimeout = errors.New("rpc: call timed out")
)

// RemoteError is an error returned by the server's handler.
type RemoteError string

func (e RemoteError) Error() string { return "rpc: remote: " + string(e) }

// Client multiplexes calls over one connection.
type Client struct {
	conn net.Conn
	wmu  sync.Mutex // serialises frame writes

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan Frame
	closed  bool
	err     error
	done    chan struct{}
}

// Dial connects to addr.
func Dial(addr string, timeout time.Duration) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return NewClient(conn), nil
}

// NewClient starts the read loop on conn.
func NewClient(conn net.Conn) *Client {
	c := &Client{conn: conn, pending: make(map[uint64]chan Frame), done: make(chan struct{})}
	go c.readLoop()
	return c
}

func (c *Client) readLoop() {
	br := bufio.NewReader(c.conn)
	var err error
	for {
		var f Frame
		f, err = ReadFrame(br)
		if err != nil {
			break
		}
		if f.Type != TypeResponse && f.Type != TypeError {
			continue
		}
		c.mu.Lock()
		ch, ok := c.pending[f.ID]
		delete(c.pending, f.ID)
		c.mu.Unlock()
		if ok {
			ch <- f // ok: ch has capacity 1 and exactly one frame is delivered per id
		}
	}
	c.failAll(err)
}

// failAll records err and wakes every pending call.
func (c *Client) failAll(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	if err == nil {
		err = ErrClosed
	}
	c.err = err
	c.closed = true
	c.pending = nil
	close(c.done)
}

func (c *Client) register() (uint64, chan Frame, error) {
	ch := make(chan Frame, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, nil, ErrClosed
	}
	c.nextID++
	c.pending[c.nextID] = ch
	return c.nextID, ch, nil
}

func (c *Client) forget(id uint64) {
	c.mu.Lock()
	if c.pending != nil {
		delete(c.pending, id)
	}
	c.mu.Unlock()
}

func (c *Client) write(f Frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return WriteFrame(c.conn, f)
}

// Call invokes method and waits for the answer or ctx.
func (c *Client) Call(ctx context.Context, method string, body []byte) ([]byte, error) {
	id, ch, err := c.register()
	if err != nil {
		return nil, err
	}
	if err := c.write(Frame{Type: TypeRequest, ID: id, Payload: joinRequest(method, body)}); err != nil {
		c.forget(id)
		return nil, err
	}
	select {
	case f := <-ch:
		if f.Type == TypeError {
			return nil, RemoteError(f.Payload)
		}
		return f.Payload, nil
	case <-ctx.Done():
		c.forget(id)
		return nil, ctx.Err()
	case <-c.done:
		return nil, c.err
	}
}

// CallWithin is Call with a wall-clock limit, for callers without a context.
func (c *Client) CallWithin(d time.Duration, method string, body []byte) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		b, err := c.Call(context.Background(), method, body)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-time.After(d):
		return nil, ErrTimeout
	}
}

// CallTimeout is CallWithin built on a context instead of a helper goroutine.
func (c *Client) CallTimeout(d time.Duration, method string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	b, err := c.Call(ctx, method, body)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, ErrTimeout
	}
	return b, err
}

// Notify sends a fire-and-forget request.
func (c *Client) Notify(method string, body []byte) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.closed {
		return ErrClosed
	}
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	return c.write(Frame{Type: TypeNotify, ID: id, Payload: joinRequest(method, body)})
}

// Ping measures one round trip.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	if _, err := c.Call(ctx, "ping", nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// Close says goodbye to the server and closes the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	goodbye := []byte{0, 0, 0, 9, TypeGoodbye, 0, 0, 0, 0, 0, 0, 0, 0}
	defer c.conn.Close()
	defer c.conn.Write(goodbye) // HAZ defer-blocking-call
	c.failAll(ErrClosed)
	return nil
}

// Shutdown is Close with a bounded goodbye.
func (c *Client) Shutdown(timeout time.Duration) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil
	}
	c.conn.SetWriteDeadline(time.Now().Add(timeout))
	werr := c.write(Frame{Type: TypeGoodbye})
	c.failAll(ErrClosed)
	return errors.Join(werr, c.conn.Close())
}

// SendBatch writes frames through a buffered writer on a fresh connection.
func SendBatch(addr string, frames []Frame) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	for _, f := range frames {
		if err := WriteFrame(bw, f); err != nil {
			return err
		}
	}
	return nil
}

// SendBatchTimeout flushes explicitly before the connection is closed.
func SendBatchTimeout(addr string, frames []Frame, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close() // ok: plain Close, registered first so it runs last
	conn.SetWriteDeadline(time.Now().Add(timeout))
	bw := bufio.NewWriter(conn)
	for _, f := range frames {
		if err := WriteFrame(bw, f); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Probe dials primary, falls back to secondary when the ping fails.
func Probe(primary, secondary string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", primary, timeout)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if err = ping(conn, timeout); err == nil {
		return nil
	}
	conn, err = net.DialTimeout("tcp", secondary, timeout)
	if err != nil {
		return err
	}
	return ping(conn, timeout)
}

// ProbeEach closes every connection it opens.
func ProbeEach(addrs []string, timeout time.Duration) map[string]error {
	out := make(map[string]error, len(addrs))
	for _, a := range addrs {
		out[a] = func() error {
			conn, err := net.DialTimeout("tcp", a, timeout)
			if err != nil {
				return err
			}
			defer conn.Close() // ok: inside the per-iteration func literal
			return ping(conn, timeout)
		}()
	}
	return out
}

func ping(conn net.Conn, timeout time.Duration) error {
	conn.SetDeadline(time.Now().Add(timeout))
	if err := WriteFrame(conn, Frame{Type: TypePing, ID: 1}); err != nil {
		return err
	}
	f, err := ReadFrame(conn)
	if err != nil {
		return err
	}
	if f.Type != TypePing {
		return errors.New("rpc: unexpected reply to ping")
	}
	return nil
}
