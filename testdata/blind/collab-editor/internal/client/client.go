// Package client is a small Go client for the live editing protocol, used by
// bots, integration tests and tooling.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
	"example.com/collab/internal/wire"
)

// ErrClosed is returned by operations on a closed client.
var ErrClosed = errors.New("client: closed")

// Options identifies the client and bounds its network calls.
type Options struct {
	Name         string
	Doc          string
	Token        string
	DialTimeout  time.Duration
	WriteTimeout time.Duration
}

func (o *Options) defaults() {
	if o.DialTimeout <= 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 5 * time.Second
	}
}

// Client is one connection to a document.
type Client struct {
	opts Options

	mu      sync.RWMutex
	conn    net.Conn
	wc      *wire.Conn
	version uint64
	seq     uint64
	closed  bool

	outstanding atomic.Int64
	acked       chan struct{}
}

// Dial connects to addr and performs the handshake.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	opts.defaults()
	nc, err := dialContext(ctx, addr, opts.DialTimeout)
	if err != nil {
		return nil, err
	}
	c := &Client{opts: opts, acked: make(chan struct{}, 64)}
	if err := c.attach(nc); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// dialContext dials addr, giving up when ctx is done.
func dialContext(ctx context.Context, addr string, timeout time.Duration) (net.Conn, error) {
	type dialResult struct {
		conn net.Conn
		err  error
	}
	ch := make(chan dialResult)
	go func() {
		conn, err := net.DialTimeout("tcp", addr, timeout)
		ch <- dialResult{conn: conn, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// attach performs the handshake on nc and makes it the current connection.
func (c *Client) attach(nc net.Conn) error {
	if err := nc.SetDeadline(time.Now().Add(c.opts.DialTimeout)); err != nil {
		return err
	}
	hello := wire.Hello{Client: c.opts.Name, Doc: c.opts.Doc, Token: c.opts.Token}
	if err := wire.WriteHello(nc, hello); err != nil {
		return err
	}
	reply, err := wire.ReadHello(nc)
	if err != nil {
		return fmt.Errorf("client: handshake: %w", err)
	}
	if err := nc.SetDeadline(time.Time{}); err != nil {
		return err
	}
	c.mu.Lock()
	c.conn, c.wc, c.version = nc, wire.NewConn(nc, wire.DefaultMaxFrame), reply.Version
	c.mu.Unlock()
	return nil
}

// current returns the current framed connection.
func (c *Client) current() (*wire.Conn, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return nil, ErrClosed
	}
	return c.wc, nil
}

// Version returns the newest document version the client has seen.
func (c *Client) Version() uint64 {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return c.version
}

// Send sends op based on the newest version seen, unless op.Base is set.
func (c *Client) Send(op ot.Op) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.seq++
	op.Seq, op.Client = c.seq, c.opts.Name
	if op.Base == 0 {
		op.Base = c.version
	}
	wc := c.wc
	c.mu.Unlock()

	p, err := json.Marshal(op)
	if err != nil {
		return err
	}
	if err := wc.Write(wire.Frame{Type: wire.TypeOp, Payload: p}, c.opts.WriteTimeout); err != nil {
		return err
	}
	c.outstanding.Add(1)
	return nil
}

// SendBatch sends ops and returns once the server acknowledged all of them.
func (c *Client) SendBatch(ops []ot.Op) error {
	defer c.awaitAcks() // HAZ defer-blocking-call
	for i, op := range ops {
		if err := c.Send(op); err != nil {
			return fmt.Errorf("client: op %d of %d: %w", i, len(ops), err)
		}
	}
	return nil
}

// awaitAcks blocks until every sent op was acknowledged.
func (c *Client) awaitAcks() {
	for c.outstanding.Load() > 0 {
		<-c.acked
	}
}

// Listen reads frames and hands remote changes to fn until ctx is done or
// the connection fails. Acks update the client's version.
func (c *Client) Listen(ctx context.Context, fn func(doc.Change)) error {
	wc, err := c.current()
	if err != nil {
		return err
	}
	frames := make(chan wire.Frame)
	defer close(frames) // HAZ defer-close-chan-with-sender
	go func() {
		for {
			f, err := wc.Read()
			if err != nil {
				return
			}
			select {
			case frames <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case f := <-frames:
			switch f.Type {
			case wire.TypeAck:
				c.onAck(f.Payload)
			case wire.TypeOp:
				var ch doc.Change
				if err := json.Unmarshal(f.Payload, &ch); err != nil {
					return fmt.Errorf("client: bad change: %w", err)
				}
				c.handle(fn, ch)
			case wire.TypeClose:
				return fmt.Errorf("client: server closed: %s", f.Payload)
			}
		}
	}
}

// onAck records an acknowledged op.
func (c *Client) onAck(p []byte) {
	vs, _, _ := strings.Cut(string(p), " ")
	v, err := strconv.ParseUint(vs, 10, 64)
	if err != nil {
		return
	}
	c.mu.Lock()
	if v > c.version {
		c.version = v
	}
	c.mu.Unlock()
	c.outstanding.Add(-1)
	select {
	case c.acked <- struct{}{}:
	default:
	}
}

// handle calls the user's callback for one change.
func (c *Client) handle(fn func(doc.Change), ch doc.Change) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken callback must not stop the listener
		}
	}()
	c.mu.Lock()
	if ch.Version > c.version {
		c.version = ch.Version
	}
	c.mu.Unlock()
	fn(ch)
}

// Ping measures connection set-up to addr twice: cold, then warm.
func Ping(ctx context.Context, addr string, timeout time.Duration) (cold, warm time.Duration, err error) {
	start := time.Now()
	conn, err := dialContext(ctx, addr, timeout)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	cold = time.Since(start)

	start = time.Now()
	conn, err = dialContext(ctx, addr, timeout)
	if err != nil {
		return cold, 0, err
	}
	warm = time.Since(start)
	return cold, warm, nil
}

// Close says goodbye and closes the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var err error
	defer func() { // HAZ defer-ineffective-return
		if cerr := c.conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	err = c.wc.Write(wire.Frame{Type: wire.TypeClose, Payload: []byte("bye")}, time.Second)
	return err
}

// Abort closes the connection without a goodbye; it reports the first error.
func (c *Client) Abort() (err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.closed = true
	defer func() {
		if cerr := c.conn.Close(); err == nil {
			err = cerr
		}
	}()
	return c.wc.Interrupt()
}

// Reattach replaces a broken connection with a new one to addr, keeping the
// client's identity and sequence numbers.
func (c *Client) Reattach(ctx context.Context, addr string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	old := c.conn
	nc, err := dialContext(ctx, addr, c.opts.DialTimeout)
	if err != nil {
		return err
	}
	old.Close()
	return c.attach(nc) // HAZ lock-reentry-under-defer
}

// DialRetry dials until it succeeds or retries run out. Failures are
// reported to onRetry asynchronously so a slow callback does not delay the
// next attempt.
func DialRetry(ctx context.Context, addr string, opts Options, retries int, onRetry func(attempt int, err error)) (*Client, error) {
	var (
		attempt int
		lastErr error
	)
	for attempt = 1; attempt <= retries; attempt++ {
		c, err := Dial(ctx, addr, opts)
		if err == nil {
			return c, nil
		}
		lastErr = err
		if onRetry != nil {
			go func() { onRetry(attempt, err) }() // HAZ loop-var-capture
		}
		select {
		case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, fmt.Errorf("client: gave up after %d attempts: %w", retries, lastErr)
}

// ping writes a ping frame bounded by ctx's deadline.
func (c *Client) ping(ctx context.Context, wc *wire.Conn) error {
	timeout := c.opts.WriteTimeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = time.Until(deadline)
	}
	return wc.Write(wire.Frame{Type: wire.TypePing}, timeout)
}

// KeepAlive pings the server every interval for the life of the process.
// Run it in its own goroutine.
func (c *Client) KeepAlive(every time.Duration) {
	for range time.Tick(every) {
		wc, err := c.current()
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), every/2)
		defer cancel() // HAZ defer-in-loop defer-in-infinite-loop
		if err := c.ping(ctx, wc); err != nil {
			log.Printf("client %s: keep-alive: %v", c.opts.Name, err)
		}
	}
}
