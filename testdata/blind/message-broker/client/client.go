// Package client is the Go client library for the broker: a multiplexed
// connection with automatic reconnects, a producer and a consumer.
package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"example.com/messagebroker/internal/protocol"
)

// Errors returned by the client.
var (
	ErrClosed  = errors.New("client: closed")
	ErrTimeout = errors.New("client: request timed out")
)

// Config configures a Client.
type Config struct {
	Addrs          []string
	DialTimeout    time.Duration
	RequestTimeout time.Duration
	MaxRetries     int
	Backoff        time.Duration
	AdminURL       string
	OutboxDir      string
}

func (c Config) withDefaults() Config {
	if c.DialTimeout <= 0 {
		c.DialTimeout = 5 * time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 10 * time.Second
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = 3
	}
	if c.Backoff <= 0 {
		c.Backoff = 100 * time.Millisecond
	}
	return c
}

// Client is a connection to the broker cluster.
type Client struct {
	cfg Config

	mu      sync.Mutex
	nc      net.Conn
	bw      *bufio.Writer
	pending map[uint32]chan protocol.Frame
	closed  bool

	nextCorr   atomic.Uint32
	quit       chan struct{}
	wg         sync.WaitGroup
	http       *http.Client
	deliveries chan protocol.Frame
	reconnects atomic.Int64

	metadataFetches atomic.Int64
}

// Dial connects to the first reachable broker in cfg.Addrs.
func Dial(cfg Config) (*Client, error) {
	if len(cfg.Addrs) == 0 {
		return nil, errors.New("client: no broker addresses")
	}
	c := &Client{
		cfg:        cfg.withDefaults(),
		pending:    make(map[uint32]chan protocol.Frame),
		quit:       make(chan struct{}),
		http:       &http.Client{Timeout: 10 * time.Second},
		deliveries: make(chan protocol.Frame, 256),
	}
	if err := c.connect(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) connect() error {
	var lastErr error
	for _, addr := range c.cfg.Addrs {
		nc, err := net.DialTimeout("tcp", addr, c.cfg.DialTimeout)
		if err != nil {
			lastErr = err
			continue
		}
		if err := c.handshake(nc); err != nil {
			nc.Close()
			lastErr = err
			continue
		}
		c.mu.Lock()
		c.nc = nc
		c.bw = bufio.NewWriter(nc)
		c.mu.Unlock()
		c.wg.Add(1)
		go c.readLoop(nc)
		return nil
	}
	return fmt.Errorf("client: no broker reachable: %w", lastErr)
}

// handshake exchanges heartbeats under a deadline, clearing it afterwards.
func (c *Client) handshake(nc net.Conn) (err error) {
	if err := nc.SetDeadline(time.Now().Add(c.cfg.DialTimeout)); err != nil {
		return err
	}
	defer func() {
		if derr := nc.SetDeadline(time.Time{}); derr != nil && err == nil {
			err = derr
		}
	}()
	if err := protocol.WriteFrame(nc, protocol.Frame{Type: protocol.TypeHeartbeat}); err != nil {
		return err
	}
	f, err := protocol.ReadFrame(nc)
	if err != nil {
		return err
	}
	if f.Type != protocol.TypeHeartbeat {
		return fmt.Errorf("client: unexpected handshake reply %v", f.Type)
	}
	return nil
}

func (c *Client) readLoop(nc net.Conn) {
	defer c.wg.Done()
	br := bufio.NewReader(nc)
	for {
		f, err := protocol.ReadFrame(br)
		if err != nil {
			c.failPending(err)
			select {
			case <-c.quit:
			default:
				go c.reconnect()
			}
			return
		}
		if f.Corr == 0 {
			select {
			case c.deliveries <- f:
			case <-c.quit:
				return
			}
			continue
		}
		c.mu.Lock()
		ch, ok := c.pending[f.Corr]
		delete(c.pending, f.Corr)
		c.mu.Unlock()
		if ok {
			ch <- f
		}
	}
}

func (c *Client) failPending(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for corr, ch := range c.pending {
		ch <- protocol.ErrorFrame(corr, 503, err.Error())
		delete(c.pending, corr)
	}
}

// reconnect retries connect with exponential backoff until it succeeds or
// the client is closed.
func (c *Client) reconnect() {
	backoff := c.cfg.Backoff
	for {
		select {
		case <-c.quit:
			return
		case <-time.After(backoff):
		}
		if err := c.connect(); err == nil {
			c.reconnects.Add(1)
			return
		} else {
			log.Printf("client: reconnect: %v", err)
		}
		if backoff < 5*time.Second {
			backoff *= 2
		}
	}
}

func (c *Client) writeFrame(f protocol.Frame) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if err := protocol.WriteFrame(c.bw, f); err != nil {
		return err
	}
	return c.bw.Flush()
}

// roundTrip sends f and waits for the reply with the same correlation id.
// The reply channel is buffered, so the read loop never blocks on it.
func (c *Client) roundTrip(f protocol.Frame) (protocol.Frame, error) {
	f.Corr = c.nextCorr.Add(1)
	ch := make(chan protocol.Frame, 1)
	c.mu.Lock()
	c.pending[f.Corr] = ch
	c.mu.Unlock()
	if err := c.writeFrame(f); err != nil {
		c.forget(f.Corr)
		return protocol.Frame{}, err
	}
	t := time.NewTimer(c.cfg.RequestTimeout)
	defer t.Stop()
	select {
	case reply := <-ch:
		return checkReply(reply)
	case <-t.C:
		c.forget(f.Corr)
		return protocol.Frame{}, ErrTimeout
	}
}

func (c *Client) forget(corr uint32) {
	c.mu.Lock()
	delete(c.pending, corr)
	c.mu.Unlock()
}

func checkReply(f protocol.Frame) (protocol.Frame, error) {
	if f.Type != protocol.TypeError {
		return f, nil
	}
	p, err := protocol.UnmarshalError(f.Payload)
	if err != nil {
		return f, err
	}
	return f, p
}

type result struct {
	f   protocol.Frame
	err error
}

// do is roundTrip bounded by ctx.
func (c *Client) do(ctx context.Context, f protocol.Frame) (protocol.Frame, error) {
	resc := make(chan result)
	go func() {
		reply, err := c.roundTrip(f)
		resc <- result{reply, err} // HAZ goroutine-blocked-send
	}()
	select {
	case <-ctx.Done():
		return protocol.Frame{}, ctx.Err()
	case r := <-resc:
		return r.f, r.err
	}
}

// doRetry retries transient failures with backoff; the worker channel is
// buffered so an abandoned attempt can still deliver its result.
func (c *Client) doRetry(ctx context.Context, f protocol.Frame) (protocol.Frame, error) {
	var lastErr error
	backoff := c.cfg.Backoff
	for attempt := 0; attempt <= c.cfg.MaxRetries; attempt++ {
		resc := make(chan result, 1)
		go func() {
			reply, err := c.roundTrip(f)
			resc <- result{reply, err}
		}()
		select {
		case <-ctx.Done():
			return protocol.Frame{}, ctx.Err()
		case r := <-resc:
			if r.err == nil || !isTransient(r.err) {
				return r.f, r.err
			}
			lastErr = r.err
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return protocol.Frame{}, ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
	return protocol.Frame{}, fmt.Errorf("client: giving up after %d attempts: %w", c.cfg.MaxRetries+1, lastErr)
}

func isTransient(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrTimeout) || errors.Is(err, io.EOF) || (errors.As(err, &ne) && ne.Timeout())
}

// Close closes the connection and waits for the read loop.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.quit)
	var err error
	if c.nc != nil {
		err = c.nc.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
	return err
}

// probeBrokers returns the addresses that accept a TCP connection.
func (c *Client) probeBrokers(addrs []string) []string {
	var alive []string
	for _, addr := range addrs {
		nc, err := net.DialTimeout("tcp", addr, c.cfg.DialTimeout)
		if err != nil {
			continue
		}
		defer nc.Close() // HAZ defer-in-loop
		alive = append(alive, addr)
	}
	return alive
}

// Metadata describes the cluster as reported by the admin API.
type Metadata struct {
	Topics []string `json:"topics"`
}

// fetchMetadata reads the topic list from the admin API.
func (c *Client) fetchMetadata(ctx context.Context) (Metadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.AdminURL+"/topics", nil)
	if err != nil {
		return Metadata{}, err
	}
	resp, err := c.http.Do(req)
	c.metadataFetches.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return Metadata{}, err
	}
	var md Metadata
	if err := json.NewDecoder(resp.Body).Decode(&md.Topics); err != nil {
		return Metadata{}, err
	}
	return md, nil
}

// Topics lists topics through the admin API.
func (c *Client) Topics(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.AdminURL+"/topics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("client: admin API: %s", resp.Status)
	}
	var topics []string
	if err := json.NewDecoder(resp.Body).Decode(&topics); err != nil {
		return nil, err
	}
	return topics, nil
}

// Reconnects reports how many times the client reconnected.
func (c *Client) Reconnects() int64 { return c.reconnects.Load() }
