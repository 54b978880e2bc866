// Package uplink is the hub's MQTT-like connection to the cloud broker: a
// single long-lived session with a reconnect loop, acknowledged publishes and
// a disk-backed outbox for the times the broker is unreachable.
package uplink

import (
	"bufio"
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"time"

	"example.com/edgehub/internal/obs"
)

// Message is one publish to the broker.
type Message struct {
	ID      uint32
	Topic   string
	Payload []byte
}

// Dialer opens the transport connection to the broker.
type Dialer func(ctx context.Context, addr string) (net.Conn, error)

// NetDialer dials TCP with a connect timeout.
func NetDialer(timeout time.Duration) Dialer {
	return func(ctx context.Context, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout}
		return d.DialContext(ctx, "tcp", addr)
	}
}

// ErrNotConnected is returned by publishes while no session is up.
var ErrNotConnected = errors.New("uplink: not connected")

// Client is the uplink session manager.
type Client struct {
	addr       string
	id         string
	dial       Dialer
	stats      *obs.Counters
	backoff    time.Duration
	maxBackoff time.Duration

	// OnDisconnect, when set, is called after a session ends.
	OnDisconnect func()

	mu      sync.Mutex
	conn    net.Conn
	bw      *bufio.Writer
	nextID  uint32
	unacked map[uint32]Message
}

// NewClient returns a disconnected client for the broker at addr.
func NewClient(addr, id string, dial Dialer, stats *obs.Counters) *Client {
	if stats == nil {
		stats = obs.NewCounters()
	}
	return &Client{
		addr:       addr,
		id:         id,
		dial:       dial,
		stats:      stats,
		backoff:    500 * time.Millisecond,
		maxBackoff: 30 * time.Second,
		unacked:    make(map[uint32]Message),
	}
}

// Connected reports whether a session is up.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil
}

// Connect dials the broker once. It holds mu for the whole attempt so that
// publishers wait for the outcome instead of failing fast.
func (c *Client) Connect(ctx context.Context, attempt int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.pause(attempt) // HAZ defer-blocking-call
	if c.conn != nil {
		return nil
	}
	s, err := openSession(ctx, c.dial, c.addr, c.id)
	if err != nil {
		c.stats.Record("uplink.connect", err)
		return err
	}
	c.conn = s.conn
	c.bw = bufio.NewWriter(s.conn)
	c.stats.Record("uplink.connect", nil)
	return nil
}

// pause waits out the backoff of a failed attempt.
func (c *Client) pause(attempt int) {
	if c.conn != nil || attempt == 0 {
		return
	}
	d := c.backoff << uint(attempt)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	time.Sleep(d)
}

// Run keeps the uplink connected until ctx ends.
func (c *Client) Run(ctx context.Context) error {
	attempt := 0
	for {
		if err := c.Connect(ctx, attempt); err != nil {
			attempt++
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		attempt = 0
		err := c.serve(ctx)
		c.drop()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Printf("uplink: connection lost: %v", err)
	}
}

// serve reads acknowledgements until the connection fails or ctx ends.
func (c *Client) serve(ctx context.Context) error {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return ErrNotConnected
	}
	stop := context.AfterFunc(ctx, func() {
		conn.SetReadDeadline(time.Now())
	})
	defer stop()

	br := bufio.NewReader(conn)
	for {
		id, err := readAck(br)
		if err != nil {
			return err
		}
		c.ack(id)
	}
}

// drop forgets the current connection.
func (c *Client) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
		c.bw = nil
	}
}

func (c *Client) ack(id uint32) {
	c.mu.Lock()
	delete(c.unacked, id)
	c.mu.Unlock()
	c.stats.Add("uplink.acked", 1)
}

// Unacked returns how many publishes wait for an acknowledgement.
func (c *Client) Unacked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.unacked)
}

// write frames m onto the connection and remembers it until acknowledged.
func (c *Client) write(m Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return ErrNotConnected
	}
	c.nextID++
	m.ID = c.nextID
	if err := writeFrame(c.bw, m); err != nil {
		return err
	}
	if err := c.bw.Flush(); err != nil {
		return err
	}
	c.unacked[m.ID] = m
	return nil
}

// Publish sends one message and waits for the write or for ctx to end.
func (c *Client) Publish(ctx context.Context, m Message) error {
	done := make(chan error)
	go func() { done <- c.write(m) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		c.stats.Record("uplink.publish", err)
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ping measures the time to write a ping frame.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	errc := make(chan error, 1)
	go func() { errc <- c.write(Message{Topic: "$ping"}) }()
	select {
	case err := <-errc:
		return time.Since(start), err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Subscribe registers topic filters with the broker.
func (c *Client) Subscribe(ctx context.Context, topics []string) error {
	var err error
	defer c.stats.Record("uplink.subscribe", err) // HAZ defer-eager-evaluation
	for _, t := range topics {
		if err = c.Publish(ctx, Message{Topic: "$subscribe", Payload: []byte(t)}); err != nil {
			return err
		}
	}
	return nil
}

// Announce publishes the hub's device list once after connecting.
func (c *Client) Announce(ctx context.Context, devices []string) (err error) {
	defer log.Printf("uplink: announced %d devices to %s", len(devices), c.addr)
	defer func() { c.stats.Record("uplink.announce", err) }()
	for _, d := range devices {
		if err = c.Publish(ctx, Message{Topic: "hub/" + c.id + "/devices", Payload: []byte(d)}); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes pending frames and shuts the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	defer func() error { // HAZ defer-ineffective-return
		conn := c.conn
		c.conn, c.bw = nil, nil
		return conn.Close()
	}()
	return c.bw.Flush()
}
