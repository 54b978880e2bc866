package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"sync"
	"time"
)

// ErrClientClosed is returned for calls on a closed client.
var ErrClientClosed = errors.New("rpc: client closed")

// Client multiplexes calls over one connection.
type Client struct {
	conn net.Conn
	dec  *json.Decoder

	mu      sync.Mutex // guards enc, nextID, pending, err
	enc     *json.Encoder
	nextID  uint64
	pending map[uint64]chan frame
	err     error

	done chan struct{}
}

// Dial connects to addr.
func Dial(ctx context.Context, addr string) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{
		conn:    conn,
		dec:     json.NewDecoder(conn),
		enc:     json.NewEncoder(conn),
		pending: map[uint64]chan frame{},
		done:    make(chan struct{}),
	}
	go c.readLoop()
	return c, nil
}

func (c *Client) readLoop() {
	var err error
	defer close(c.done)               // ok: nobody sends on done
	defer func() { c.failAll(err) }() // ok: closure sees the final err
	for {
		var f frame
		if err = c.dec.Decode(&f); err != nil {
			return
		}
		c.mu.Lock()
		ch, ok := c.pending[f.ID]
		delete(c.pending, f.ID)
		c.mu.Unlock()
		if ok {
			ch <- f // ok: each pending channel has capacity 1 and gets one frame
		}
	}
}

func (c *Client) failAll(err error) {
	if err == nil {
		err = ErrClientClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
	for id, ch := range c.pending {
		ch <- frame{ID: id, Error: err.Error()} // ok: capacity 1, first and only send
		delete(c.pending, id)
	}
}

func (c *Client) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Call performs one request and decodes the result into resp.
func (c *Client) Call(ctx context.Context, method string, params, resp any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan frame, 1)

	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	id := c.nextID
	c.nextID++
	c.pending[id] = ch
	if dl, ok := ctx.Deadline(); ok {
		c.conn.SetWriteDeadline(dl)
	} else {
		c.conn.SetWriteDeadline(time.Time{})
	}
	err = c.enc.Encode(frame{ID: id, Method: method, Params: p})
	c.mu.Unlock()
	if err != nil {
		c.forget(id)
		return err
	}

	select {
	case f := <-ch:
		if f.Error != "" {
			return errors.New(f.Error)
		}
		if resp == nil {
			return nil
		}
		return json.Unmarshal(f.Result, resp)
	case <-ctx.Done():
		c.forget(id) // ok: a late reply lands in the buffered ch and is dropped
		return ctx.Err()
	}
}

// Go starts a call and delivers its error on the returned channel.
func (c *Client) Go(ctx context.Context, method string, params, resp any) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- c.Call(ctx, method, params, resp) }()
	return errc
}

// CallAll calls several methods concurrently and returns all errors joined.
func (c *Client) CallAll(ctx context.Context, methods []string) error {
	errc := make(chan error, len(methods))
	var wg sync.WaitGroup
	for _, m := range methods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- c.Call(ctx, m, nil, nil)
		}()
	}
	wg.Wait()
	close(errc) // ok: all senders are done
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Close closes the connection and waits for the read loop, bounded by a timer.
func (c *Client) Close() error {
	err := c.conn.Close()
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
	}
	return err
}
