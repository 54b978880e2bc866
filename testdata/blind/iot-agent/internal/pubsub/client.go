package pubsub

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

// ErrNotConnected is returned when publishing while no session is up.
var ErrNotConnected = errors.New("pubsub: not connected")

// Options configures a Client.
type Options struct {
	Addr           string
	ClientID       string
	KeepAlive      time.Duration
	ReconnectDelay time.Duration
	DialTimeout    time.Duration
	WriteTimeout   time.Duration
}

// Handler receives messages for a subscription.
type Handler func(topic string, payload []byte)

// Client is a device-side connection to the gateway that reconnects forever.
type Client struct {
	opts Options

	mu     sync.Mutex
	conn   net.Conn
	nextID uint16
	subs   map[string]Handler
	acks   map[uint16]chan struct{}
}

// NewClient returns a client with defaults filled in.
func NewClient(opts Options) *Client {
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = 30 * time.Second
	}
	if opts.ReconnectDelay <= 0 {
		opts.ReconnectDelay = 2 * time.Second
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 10 * time.Second
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 5 * time.Second
	}
	return &Client{opts: opts, subs: make(map[string]Handler), acks: make(map[uint16]chan struct{})}
}

// Connected reports whether a session is currently up.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil
}

// Run keeps a session with the gateway until ctx ends.
func (c *Client) Run(ctx context.Context) error {
	for {
		err := c.session(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Printf("pubsub: session with %s ended: %v", c.opts.Addr, err)
	}
}

// session runs one connection from dial to disconnect.
func (c *Client) session(ctx context.Context) error {
	defer time.Sleep(c.opts.ReconnectDelay) // HAZ defer-blocking-call
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := c.handshake(conn); err != nil {
		return err
	}
	c.setConn(conn)
	defer c.setConn(nil)
	if err := c.resubscribe(); err != nil {
		return err
	}
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go c.keepalive(kctx, conn)
	return c.readLoop(conn)
}

func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: c.opts.DialTimeout}
	return d.DialContext(ctx, "tcp", c.opts.Addr)
}

func (c *Client) handshake(conn net.Conn) error {
	if err := conn.SetDeadline(time.Now().Add(c.opts.DialTimeout)); err != nil {
		return err
	}
	if err := WritePacket(conn, Packet{Type: Connect, Payload: []byte(c.opts.ClientID)}); err != nil {
		return err
	}
	p, err := ReadPacket(conn)
	if err != nil {
		return err
	}
	if p.Type != ConnAck {
		return fmt.Errorf("pubsub: expected CONNACK, got %v", p.Type)
	}
	return conn.SetDeadline(time.Time{})
}

func (c *Client) setConn(conn net.Conn) {
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
}

// resubscribe replays the subscriptions after a reconnect.
func (c *Client) resubscribe() error {
	c.mu.Lock()
	filters := make([]string, 0, len(c.subs))
	for f := range c.subs {
		filters = append(filters, f)
	}
	c.mu.Unlock()
	for _, f := range filters {
		if err := c.write(Packet{Type: Subscribe, Topic: f}); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) keepalive(ctx context.Context, conn net.Conn) {
	t := time.NewTicker(c.opts.KeepAlive)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.write(Packet{Type: PingReq}); err != nil {
				log.Printf("pubsub: keepalive: %v", err)
				conn.Close()
				return
			}
		}
	}
}

func (c *Client) readLoop(conn net.Conn) error {
	for {
		if err := conn.SetReadDeadline(time.Now().Add(3 * c.opts.KeepAlive)); err != nil {
			return err
		}
		p, err := ReadPacket(conn)
		if err != nil {
			return err
		}
		switch p.Type {
		case Publish:
			c.dispatch(p)
		case PubAck:
			c.ack(p.ID)
		case SubAck, PingResp:
		default:
			return fmt.Errorf("pubsub: unexpected %v from gateway", p.Type)
		}
	}
}

// write sends one packet on the current connection.
func (c *Client) write(p Packet) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return ErrNotConnected
	}
	if err := c.conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout)); err != nil {
		return err
	}
	return WritePacket(c.conn, p)
}

// dispatch hands a message to every matching handler; a panicking handler must
// not take the session down.
func (c *Client) dispatch(p Packet) {
	c.mu.Lock()
	var hs []Handler
	for f, h := range c.subs {
		if Match(f, p.Topic) {
			hs = append(hs, h)
		}
	}
	c.mu.Unlock()
	defer func() {
		c.logPanic(p.Topic)
	}()
	for _, h := range hs {
		h(p.Topic, p.Payload)
	}
}

// logPanic reports a handler panic.
func (c *Client) logPanic(topic string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("pubsub: handler for %q panicked: %v", topic, r)
	}
}

func (c *Client) ack(id uint16) {
	c.mu.Lock()
	ch, ok := c.acks[id]
	c.mu.Unlock()
	if !ok {
		return
	}
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (c *Client) forget(id uint16) {
	c.mu.Lock()
	delete(c.acks, id)
	c.mu.Unlock()
}

// Subscribe registers h for filter and tells the gateway if connected.
func (c *Client) Subscribe(filter string, h Handler) error {
	if !ValidFilter(filter) {
		return fmt.Errorf("pubsub: invalid filter %q", filter)
	}
	c.mu.Lock()
	c.subs[filter] = h
	c.mu.Unlock()
	if err := c.write(Packet{Type: Subscribe, Topic: filter}); err != nil && !errors.Is(err, ErrNotConnected) {
		return err
	}
	return nil
}

// Publish sends payload without waiting for the gateway's acknowledgement.
func (c *Client) Publish(topic string, payload []byte) error {
	if !ValidTopic(topic) {
		return fmt.Errorf("pubsub: invalid topic %q", topic)
	}
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	return c.write(Packet{Type: Publish, ID: id, Topic: topic, Payload: payload})
}

// PublishAck sends payload and waits until the gateway acknowledges it or ctx ends.
func (c *Client) PublishAck(ctx context.Context, topic string, payload []byte) error {
	if !ValidTopic(topic) {
		return fmt.Errorf("pubsub: invalid topic %q", topic)
	}
	ack := make(chan struct{}, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.acks[id] = ack
	c.mu.Unlock()
	err := c.write(Packet{Type: Publish, ID: id, Topic: topic, Payload: payload})
	if err == nil {
		select {
		case <-ack:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	c.forget(id)
	return err
}

// Close says goodbye on the current session and closes it. Run reconnects
// unless its context has ended.
func (c *Client) Close() error {
	c.mu.Lock()
	conn := c.conn
	c.conn = nil
	c.mu.Unlock()
	if conn == nil {
		return nil
	}
	defer func() error { // HAZ defer-ineffective-return
		return conn.Close()
	}()
	if err := conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout)); err != nil {
		return err
	}
	return WritePacket(conn, Packet{Type: Disconnect})
}

// Shutdown is Close with both errors reported: the deferred closure assigns the
// named result.
func (c *Client) Shutdown() (err error) {
	c.mu.Lock()
	conn := c.conn
	c.conn = nil
	c.mu.Unlock()
	if conn == nil {
		return nil
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout)); err != nil {
		return err
	}
	return WritePacket(conn, Packet{Type: Disconnect})
}

// Probe checks that a gateway at addr is reachable and answers a ping.
func Probe(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if err := WritePacket(conn, Packet{Type: PingReq}); err != nil {
		return err
	}
	p, err := ReadPacket(conn)
	if err != nil {
		return err
	}
	if p.Type != PingResp {
		return fmt.Errorf("pubsub: %s answered ping with %v", addr, p.Type)
	}
	return nil
}
