package signaling

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"example.com/confsfu/internal/proto"
)

// Client is a reconnecting signalling client, used by the recorder agent
// and by edge nodes that subscribe to a core SFU.
type Client struct {
	addr       string
	hello      []byte
	log        *log.Logger
	maxBackoff time.Duration

	mu       sync.Mutex
	conn     *proto.Conn
	handlers map[proto.Opcode]func(proto.Frame)
}

// NewClient creates a client; call Run to connect and dispatch frames.
func NewClient(addr string, hello []byte, lg *log.Logger) *Client {
	return &Client{
		addr:       addr,
		hello:      hello,
		log:        lg,
		maxBackoff: 10 * time.Second,
		handlers:   make(map[proto.Opcode]func(proto.Frame)),
	}
}

// Handle registers fn for frames with opcode op.
func (c *Client) Handle(op proto.Opcode, fn func(proto.Frame)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[op] = fn
}

func (c *Client) handler(op proto.Opcode) func(proto.Frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handlers[op]
}

func (c *Client) transport() *proto.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn
}

// Connect dials the server once.
func (c *Client) Connect(ctx context.Context) error {
	conn, err := proto.Dial(ctx, c.addr, c.hello)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	return nil
}

// reconnect replaces the transport, backing off between attempts.
func (c *Client) reconnect(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		conn, err := proto.Dial(ctx, c.addr, c.hello)
		if err == nil {
			c.mu.Lock()
			old := c.conn
			c.conn = conn
			c.mu.Unlock()
			if old != nil {
				old.Close()
			}
			c.log.Printf("signaling client: reconnected to %s after %d attempts", c.addr, attempt)
			return nil
		}
		c.log.Printf("signaling client: dial %s: %v", c.addr, err)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		backoff = min(2*backoff, c.maxBackoff)
	}
}

// Run connects and dispatches inbound frames to the registered handlers,
// reconnecting when the connection drops, until ctx is done or the server
// says goodbye.
func (c *Client) Run(ctx context.Context) error {
	if err := c.Connect(ctx); err != nil {
		return err
	}
	defer c.transport().Close() // HAZ defer-call-chain
	stop := context.AfterFunc(ctx, func() { c.transport().Close() })
	defer stop()
	for {
		f, err := c.transport().Recv()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := c.reconnect(ctx); err != nil {
				return err
			}
			continue
		}
		if f.Op == proto.OpBye {
			c.log.Printf("signaling client: %s said goodbye", c.addr)
			return nil
		}
		if h := c.handler(f.Op); h != nil {
			h(f)
		}
	}
}

// Send writes a frame on the current transport.
func (c *Client) Send(f proto.Frame) error {
	conn := c.transport()
	if conn == nil {
		return errors.New("signaling client: not connected")
	}
	return conn.Send(f)
}

type dialResult struct {
	conn *proto.Conn
	err  error
}

// DialFirst dials every candidate server concurrently and keeps the first
// connection that succeeds; the others are closed as they arrive.
func DialFirst(ctx context.Context, addrs []string, hello []byte) (*proto.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan dialResult, len(addrs))
	for _, a := range addrs {
		go func(addr string) {
			conn, err := proto.Dial(ctx, addr, hello)
			results <- dialResult{conn, err}
		}(a)
	}
	var errs []error
	for received := 1; received <= len(addrs); received++ {
		r := <-results
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		go closeLosers(results, len(addrs)-received)
		return r.conn, nil
	}
	return nil, errors.Join(errs...)
}

// closeLosers receives the remaining n dial results and closes any
// connection that still succeeded.
func closeLosers(results <-chan dialResult, n int) {
	for i := 0; i < n; i++ {
		if r := <-results; r.conn != nil {
			r.conn.Close()
		}
	}
}
