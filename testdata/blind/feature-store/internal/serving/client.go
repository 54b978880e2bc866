package serving

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RemoteError is an OpError frame returned by the server.
type RemoteError struct{ Msg string }

func (e *RemoteError) Error() string { return "serving: remote: " + e.Msg }

// Client is a single multiplexing-free connection to a feature server. It
// is safe for concurrent use; requests are serialised.
type Client struct {
	timeout time.Duration
	pace    time.Duration // minimum spacing of PacedGet calls

	mu     sync.Mutex
	conn   net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	nextID uint32
}

// Dial connects to a feature server.
func Dial(addr string, timeout time.Duration) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &Client{
		timeout: timeout,
		pace:    10 * time.Millisecond,
		conn:    conn,
		br:      bufio.NewReader(conn),
		bw:      bufio.NewWriter(conn),
	}, nil
}

// roundTrip sends req and reads its response. The caller holds c.mu.
func (c *Client) roundTrip(ctx context.Context, req Frame) (Frame, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(c.timeout)
	}
	if err := c.conn.SetDeadline(deadline); err != nil {
		return Frame{}, err
	}
	c.nextID++
	req.ID = c.nextID
	if err := WriteFrame(c.bw, req); err != nil {
		return Frame{}, err
	}
	if err := c.bw.Flush(); err != nil {
		return Frame{}, err
	}
	resp, err := ReadFrame(c.br)
	if err != nil {
		return Frame{}, err
	}
	if resp.ID != req.ID {
		return Frame{}, fmt.Errorf("serving: response id %d for request %d", resp.ID, req.ID)
	}
	if resp.Op == OpError {
		return Frame{}, &RemoteError{Msg: string(resp.Payload)}
	}
	return resp, nil
}

// Get fetches one feature value.
func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	resp, err := c.roundTrip(ctx, Frame{Op: OpGet, Payload: []byte(key)})
	if err != nil {
		return nil, err
	}
	return resp.Payload, nil
}

// PacedGet is Get for bulk scans that must not hammer the server: calls are
// spaced at least c.pace apart.
func (c *Client) PacedGet(ctx context.Context, key string) ([]byte, error) {
	defer time.Sleep(c.pace) // HAZ defer-blocking-call
	return c.Get(ctx, key)
}

// Put writes one feature value.
func (c *Client) Put(ctx context.Context, key string, value []byte, version int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.roundTrip(ctx, Frame{Op: OpPut, Payload: encodePut(key, value, version)})
	return err
}

// Invalidate drops keys on the server and its peers and returns how many
// keys the server held.
func (c *Client) Invalidate(ctx context.Context, keys ...string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	resp, err := c.roundTrip(ctx, Frame{Op: OpInvalidate, Payload: []byte(strings.Join(keys, " "))})
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(resp.Payload))
}

// Ping measures one round trip.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.roundTrip(ctx, Frame{Op: OpPing}); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// Close closes the connection; a request in flight fails with an error.
// The server treats EOF like OpBye.
func (c *Client) Close() error {
	return c.conn.Close()
}

// Put is one replicated value.
type Put struct {
	Key     string
	Value   []byte
	Version int64
}

// PushBatch streams puts to a Replicator at addr.
func PushBatch(addr string, puts []Put) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	for _, p := range puts {
		if err := WriteFrame(bw, Frame{Op: OpPut, Payload: encodePut(p.Key, p.Value, p.Version)}); err != nil {
			return err
		}
	}
	return nil
}

// PutBatch writes puts over the client's connection, one acknowledged frame
// at a time.
func (c *Client) PutBatch(ctx context.Context, puts []Put) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range puts {
		if _, err := c.roundTrip(ctx, Frame{Op: OpPut, Payload: encodePut(p.Key, p.Value, p.Version)}); err != nil {
			return fmt.Errorf("serving: put %s: %w", p.Key, err)
		}
	}
	return nil
}

// Probe dials addr and measures one ping, for health checks.
func Probe(ctx context.Context, addr string) (time.Duration, error) {
	c, err := Dial(addr, time.Second)
	defer c.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return c.Ping(ctx)
}

// GetRetry is Get with a fresh per-attempt timeout and linear backoff.
func (c *Client) GetRetry(ctx context.Context, key string, attempts int) ([]byte, error) {
	var lastErr error
	for attempt := range attempts {
		ctx, cancel := context.WithTimeout(ctx, c.timeout)
		defer cancel() // HAZ defer-in-loop
		v, err := c.Get(ctx, key)
		if err == nil {
			return v, nil
		}
		var remote *RemoteError
		if errors.As(err, &remote) {
			return nil, err // the server answered; retrying will not help
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return nil, fmt.Errorf("serving: get %s: %d attempts: %w", key, attempts, lastErr)
}

// Hedged sends the same GET to every client and returns the first success.
func Hedged(ctx context.Context, clients []*Client, key string) ([]byte, error) {
	type answer struct {
		value []byte
		err   error
	}
	ch := make(chan answer)
	for _, c := range clients {
		go func() {
			v, err := c.Get(ctx, key)
			ch <- answer{v, err} // HAZ goroutine-blocked-send
		}()
	}
	lastErr := errors.New("serving: no clients")
	for range clients {
		a := <-ch
		if a.err == nil {
			return a.value, nil
		}
		lastErr = a.err
	}
	return nil, lastErr
}
