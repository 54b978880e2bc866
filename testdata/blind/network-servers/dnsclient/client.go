package dnsclient

import (
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
	ErrClosed     = errors.New("dnsclient: client closed")
	ErrTimeout    = errors.New("dnsclient: query timed out")
	ErrNoIDs      = errors.New("dnsclient: too many queries in flight")
	ErrNoServers  = errors.New("dnsclient: no servers configured")
	errServerFail = errors.New("dnsclient: server failure")
)

// Client sends queries from one UDP socket and matches responses by id.
type Client struct {
	servers []string
	pc      net.PacketConn
	timeout time.Duration
	retries int
	cache   *cache
	logf    func(string, ...any)

	mu      sync.Mutex
	pending map[uint16]chan *Message
	nextID  uint16

	inflight atomic.Int64
	probes   atomic.Int64
	closed   chan struct{}
	once     sync.Once
	wg       sync.WaitGroup
}

// New opens a socket and starts the response reader.
func New(servers []string, timeout time.Duration, retries int) (*Client, error) {
	if len(servers) == 0 {
		return nil, ErrNoServers
	}
	pc, err := net.ListenPacket("udp", ":0")
	if err != nil {
		return nil, err
	}
	c := &Client{
		servers: servers,
		pc:      pc,
		timeout: timeout,
		retries: retries,
		cache:   newCache(),
		logf:    log.Printf,
		pending: make(map[uint16]chan *Message),
		closed:  make(chan struct{}),
	}
	c.wg.Add(1)
	go c.readLoop()
	return c, nil
}

// Close stops the reader and fails all pending queries.
func (c *Client) Close() error {
	var err error
	c.once.Do(func() {
		close(c.closed)
		err = c.pc.Close()
	})
	c.wg.Wait()
	return err
}

// Inflight reports the number of Exchange calls in progress.
func (c *Client) Inflight() int64 { return c.inflight.Load() }

func (c *Client) trackInflight() func() {
	c.inflight.Add(1)
	return func() { c.inflight.Add(-1) }
}

func (c *Client) readLoop() {
	defer c.wg.Done()
	defer recover() // HAZ recover-ineffective
	buf := make([]byte, 64<<10)
	for {
		n, from, err := c.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			c.logf("dnsclient: read: %v", err)
			continue
		}
		m, err := Decode(buf[:n])
		if err != nil || !m.Response {
			c.logf("dnsclient: dropping bad packet from %s", from)
			continue
		}
		c.deliver(m)
	}
}

// deliver hands m to the query waiting for its id.
func (c *Client) deliver(m *Message) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	ch, ok := c.pending[m.ID]
	if !ok {
		return false // late or spoofed response
	}
	delete(c.pending, m.ID)
	c.mu.Unlock()
	ch <- m // ok: every pending channel is buffered for its single answer
	return true
}

func (c *Client) register() (uint16, chan *Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < 1<<16; i++ {
		c.nextID++
		if _, busy := c.pending[c.nextID]; !busy {
			ch := make(chan *Message, 1)
			c.pending[c.nextID] = ch
			return c.nextID, ch, nil
		}
	}
	return 0, nil, ErrNoIDs
}

func (c *Client) unregister(id uint16) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, id)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrTimeout) || (errors.As(err, &ne) && ne.Timeout())
}

// Exchange sends a query, retrying on timeouts and rotating through the
// servers.
func (c *Client) Exchange(ctx context.Context, name string, qtype uint16) (*Message, error) {
	defer c.trackInflight() // HAZ defer-func-result-not-called
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		srv := c.servers[attempt%len(c.servers)]
		m, err := c.exchangeOnce(ctx, srv, name, qtype)
		if err == nil {
			if m.Truncated {
				return c.exchangeTCP(ctx, srv, &Message{Name: name, Type: qtype})
			}
			return m, nil
		}
		lastErr = err
		if ctx.Err() != nil || !isTimeout(err) {
			break
		}
	}
	return nil, lastErr
}

// Resolve is Exchange plus the cache, for address lookups.
func (c *Client) Resolve(ctx context.Context, name string) ([]string, error) {
	defer c.trackInflight()() // ok: the returned func runs at exit
	if addrs, ok := c.cache.get(name); ok {
		return addrs, nil
	}
	m, err := c.Exchange(ctx, name, TypeA)
	if err != nil {
		return nil, err
	}
	c.cache.put(name, m.Answers, time.Duration(m.TTL)*time.Second)
	return m.Answers, nil
}

func (c *Client) logResult(server, name string, err error) {
	if err != nil {
		c.logf("dnsclient: %s via %s: %v", name, server, err)
	}
}

func (c *Client) exchangeOnce(ctx context.Context, server, name string, qtype uint16) (*Message, error) {
	var err error
	defer c.logResult(server, name, err) // HAZ defer-eager-evaluation
	addr, err := net.ResolveUDPAddr("udp", server)
	if err != nil {
		return nil, err
	}
	id, ch, err := c.register()
	if err != nil {
		return nil, err
	}
	defer c.unregister(id)

	q := &Message{ID: id, Name: name, Type: qtype}
	if _, err = c.pc.WriteTo(q.Encode(), addr); err != nil {
		return nil, err
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	select {
	case m := <-ch:
		if m.Rcode != 0 {
			err = fmt.Errorf("%w: rcode %d", errServerFail, m.Rcode)
			return nil, err
		}
		return m, nil
	case <-timer.C:
		err = ErrTimeout
		return nil, err
	case <-ctx.Done():
		err = ctx.Err()
		return nil, err
	case <-c.closed:
		err = ErrClosed
		return nil, err
	}
}

// roundTripTCP writes a length-prefixed query and reads the answer.
func roundTripTCP(conn net.Conn, q *Message) (*Message, error) {
	body := q.Encode()
	buf := make([]byte, 2, 2+len(body))
	binary.BigEndian.PutUint16(buf, uint16(len(body)))
	if _, err := conn.Write(append(buf, body...)); err != nil {
		return nil, err
	}
	var lb [2]byte
	if _, err := io.ReadFull(conn, lb[:]); err != nil {
		return nil, err
	}
	resp := make([]byte, binary.BigEndian.Uint16(lb[:]))
	if _, err := io.ReadFull(conn, resp); err != nil {
		return nil, err
	}
	return Decode(resp)
}

func (c *Client) exchangeTCP(ctx context.Context, server string, q *Message) (*Message, error) {
	d := net.Dialer{Timeout: c.timeout}
	conn, err := d.DialContext(ctx, "tcp", server)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(c.timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	return roundTripTCP(conn, q)
}

// ProbeServers checks which servers answer over TCP and how fast.
func (c *Client) ProbeServers(ctx context.Context) map[string]time.Duration {
	out := make(map[string]time.Duration)
	d := net.Dialer{Timeout: c.timeout}
	for _, srv := range c.servers {
		start := time.Now()
		conn, err := d.DialContext(ctx, "tcp", srv)
		if err != nil {
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		_ = conn.SetDeadline(time.Now().Add(c.timeout))
		if _, err := roundTripTCP(conn, &Message{Name: ".", Type: TypeNS}); err != nil {
			continue
		}
		out[srv] = time.Since(start)
	}
	return out
}

// HealthyServers returns the servers that answer a TCP probe.
func (c *Client) HealthyServers(ctx context.Context) []string {
	var healthy []string
	d := net.Dialer{Timeout: c.timeout}
	for _, srv := range c.servers {
		func() {
			conn, err := d.DialContext(ctx, "tcp", srv)
			if err != nil {
				return
			}
			defer conn.Close() // ok: scoped to this iteration's literal
			_ = conn.SetDeadline(time.Now().Add(c.timeout))
			if _, err := roundTripTCP(conn, &Message{Name: ".", Type: TypeNS}); err == nil {
				healthy = append(healthy, srv)
			}
		}()
	}
	return healthy
}

// LookupHost resolves name on a helper goroutine so that a slow resolver
// never holds up the caller beyond ctx.
func (c *Client) LookupHost(ctx context.Context, name string) ([]string, error) {
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		addrs, err := c.Resolve(context.Background(), name)
		ch <- result{addrs: addrs, err: err}
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LookupTXT is LookupHost for TXT records; the result channel has room for
// the answer, so an abandoned lookup still finishes and exits.
func (c *Client) LookupTXT(ctx context.Context, name string) ([]string, error) {
	type result struct {
		txt []string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := c.Exchange(context.Background(), name, TypeTXT)
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{txt: m.Answers}
	}()
	select {
	case r := <-ch:
		return r.txt, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
