// Package mq is a client for a simple AMQP-like message broker: channels,
// publisher confirms, consumers with manual acks and automatic reconnects.
package mq

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

var (
	ErrNotConnected = errors.New("mq: not connected")
	ErrClosed       = errors.New("mq: client closed")
	ErrNacked       = errors.New("mq: message nacked by broker")
)

const (
	frameOpen    byte = 1
	frameClose   byte = 2
	framePublish byte = 3
	frameAck     byte = 4
	frameNack    byte = 5
	frameConfirm byte = 6
	frameDeliver byte = 7
	frameBeat    byte = 8
)

type frame struct {
	kind    byte
	channel uint16
	payload []byte
}

func writeFrame(w io.Writer, f frame) error {
	var hdr [7]byte
	hdr[0] = f.kind
	binary.BigEndian.PutUint16(hdr[1:3], f.channel)
	binary.BigEndian.PutUint32(hdr[3:7], uint32(len(f.payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(f.payload)
	return err
}

func readFrame(r io.Reader) (frame, error) {
	var hdr [7]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return frame{}, err
	}
	f := frame{kind: hdr[0], channel: binary.BigEndian.Uint16(hdr[1:3])}
	f.payload = make([]byte, binary.BigEndian.Uint32(hdr[3:7]))
	_, err := io.ReadFull(r, f.payload)
	return f, err
}

// Hooks are optional callbacks; any of them may be nil.
type Hooks struct {
	OnReconnect  func(attempt int)
	OnDisconnect func(err error)
	OnBatchDone  func(err error)
}

// Stats is a snapshot of client counters.
type Stats struct {
	Published uint64
	Confirmed uint64
	Delivered uint64
	Reconnect uint64
}

// Log writes the counters to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("mq: published=%d confirmed=%d delivered=%d reconnects=%d",
		s.Published, s.Confirmed, s.Delivered, s.Reconnect)
}

// Client is a connection to a broker.
type Client struct {
	addr    string
	logger  *log.Logger
	backoff time.Duration
	hooks   Hooks

	mu       sync.RWMutex
	conn     net.Conn
	wr       *bufio.Writer
	seq      uint64
	closed   bool
	confirms map[uint64]chan error
	cleanups map[string]func()
	lastErr  error

	published atomic.Uint64
	confirmed atomic.Uint64
	delivered atomic.Uint64
	reconnect atomic.Uint64

	heartbeat atomic.Bool
	acks      chan uint64
	done      chan struct{}
	wg        sync.WaitGroup
}

// NewClient returns an unconnected client.
func NewClient(addr string, logger *log.Logger) *Client {
	if logger == nil {
		logger = log.Default()
	}
	return &Client{
		addr:     addr,
		logger:   logger,
		backoff:  500 * time.Millisecond,
		confirms: make(map[uint64]chan error),
		cleanups: make(map[string]func()),
		acks:     make(chan uint64),
		done:     make(chan struct{}),
	}
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	return Stats{
		Published: c.published.Load(),
		Confirmed: c.confirmed.Load(),
		Delivered: c.delivered.Load(),
		Reconnect: c.reconnect.Load(),
	}
}

func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("mq: dial %s: %w", c.addr, err)
	}
	if err := writeFrame(nc, frame{kind: frameOpen}); err != nil {
		nc.Close()
		return nil, fmt.Errorf("mq: handshake: %w", err)
	}
	return nc, nil
}

// IsConnected reports whether the client currently has a connection.
func (c *Client) IsConnected() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.isConnectedLocked()
}

func (c *Client) isConnectedLocked() bool {
	return c.conn != nil && !c.closed
}

func (c *Client) setConn(nc net.Conn) {
	c.mu.Lock()
	c.conn = nc
	if nc != nil {
		c.wr = bufio.NewWriter(nc)
	} else {
		c.wr = nil
	}
	c.mu.Unlock()
}

// send writes one frame on the current connection.
func (c *Client) send(f frame) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wr == nil {
		return ErrNotConnected
	}
	if err := writeFrame(c.wr, f); err != nil {
		return err
	}
	return c.wr.Flush()
}

// pauseHeartbeat stops heartbeats and returns a func that resumes them.
func (c *Client) pauseHeartbeat() func() {
	was := c.heartbeat.Swap(false)
	return func() { c.heartbeat.Store(was) }
}

// readLoop reads frames until the connection fails.
func (c *Client) readLoop(nc net.Conn, deliveries chan<- *Delivery) error {
	rd := bufio.NewReader(nc)
	for {
		f, err := readFrame(rd)
		if err != nil {
			return err
		}
		switch f.kind {
		case frameConfirm, frameNack:
			if len(f.payload) < 8 {
				continue
			}
			seq := binary.BigEndian.Uint64(f.payload)
			c.mu.Lock()
			ch := c.confirms[seq]
			delete(c.confirms, seq)
			c.mu.Unlock()
			if ch == nil {
				continue
			}
			if f.kind == frameNack {
				ch <- ErrNacked
			} else {
				c.confirmed.Add(1)
				ch <- nil
			}
		case frameDeliver:
			if len(f.payload) < 8 {
				continue
			}
			c.delivered.Add(1)
			deliveries <- &Delivery{Tag: binary.BigEndian.Uint64(f.payload), Body: f.payload[8:], client: c}
		}
	}
}

// Delivery is one message handed to a consumer.
type Delivery struct {
	Tag    uint64
	Queue  string
	Body   []byte
	client *Client
}

// Ack acknowledges the delivery.
func (d *Delivery) Ack() error {
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], d.Tag)
	return d.client.send(frame{kind: frameAck, payload: p[:]})
}

// Nack rejects the delivery so the broker redelivers it.
func (d *Delivery) Nack() error {
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], d.Tag)
	return d.client.send(frame{kind: frameNack, payload: p[:]})
}

// Handler processes one delivery.
type Handler func(ctx context.Context, d *Delivery) error
