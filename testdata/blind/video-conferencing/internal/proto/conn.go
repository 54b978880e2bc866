package proto

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// Conn is a framed signalling connection. Writes are serialised by wmu so
// that any goroutine may send; reads are expected from a single goroutine.
type Conn struct {
	nc        net.Conn
	br        *bufio.Reader
	wmu       sync.Mutex
	wtimeout  time.Duration
	closeOnce sync.Once
	closed    chan struct{}
}

// NewConn wraps nc. A zero writeTimeout disables write deadlines.
func NewConn(nc net.Conn, writeTimeout time.Duration) *Conn {
	return &Conn{
		nc:       nc,
		br:       bufio.NewReaderSize(nc, 16<<10),
		wtimeout: writeTimeout,
		closed:   make(chan struct{}),
	}
}

// Dial connects to a signalling server and sends the HELLO frame.
func Dial(ctx context.Context, addr string, hello []byte) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("proto: dial %s: %w", addr, err)
	}
	c := NewConn(nc, 5*time.Second)
	if err := c.Send(Frame{Op: OpHello, Payload: hello}); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// RemoteAddr returns the peer address for logging.
func (c *Conn) RemoteAddr() string {
	return c.nc.RemoteAddr().String()
}

// Send writes one frame, bounded by the write timeout.
func (c *Conn) Send(f Frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wtimeout > 0 {
		if err := c.nc.SetWriteDeadline(time.Now().Add(c.wtimeout)); err != nil {
			return err
		}
	}
	return WriteFrame(c.nc, f)
}

// SendBatch writes several frames back to back so that no other sender can
// interleave between them (an OFFER followed by its candidates, say).
func (c *Conn) SendBatch(frames []Frame) error {
	c.wmu.Lock() // HAZ lock-leaked-on-return
	if c.wtimeout > 0 {
		deadline := time.Now().Add(c.wtimeout * time.Duration(len(frames)))
		if err := c.nc.SetWriteDeadline(deadline); err != nil {
			c.wmu.Unlock()
			return err
		}
	}
	for _, f := range frames {
		if err := WriteFrame(c.nc, f); err != nil {
			return fmt.Errorf("proto: batch write %s: %w", f.Op, err)
		}
	}
	c.wmu.Unlock()
	return nil
}

// Recv reads the next frame.
func (c *Conn) Recv() (Frame, error) {
	return ReadFrame(c.br)
}

// RecvTimeout reads the next frame, giving up after d.
func (c *Conn) RecvTimeout(d time.Duration) (Frame, error) {
	if err := c.nc.SetReadDeadline(time.Now().Add(d)); err != nil {
		return Frame{}, err
	}
	f, err := ReadFrame(c.br)
	if cerr := c.nc.SetReadDeadline(time.Time{}); cerr != nil && err == nil {
		err = cerr
	}
	return f, err
}

// Ping measures the round trip to the peer. It gives up when ctx is done.
func (c *Conn) Ping(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	res := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		if err := c.Send(Frame{Op: OpPing}); err != nil {
			res <- err
			return
		}
		f, err := c.RecvTimeout(10 * time.Second)
		if err == nil && f.Op != OpPong {
			err = fmt.Errorf("proto: expected PONG, got %s", f.Op)
		}
		res <- err
	}()
	select {
	case err := <-res:
		if err != nil {
			return 0, err
		}
		return time.Since(start), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

var byeFrame = mustEncode(Frame{Op: OpBye})

func mustEncode(f Frame) []byte {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, f); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// sayGoodbye clears any expired write deadline, so that the BYE frame is not
// rejected straight away, and writes it.
func (c *Conn) sayGoodbye() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Time{})
	_, _ = c.nc.Write(byeFrame)
}

// Keepalive pings the peer every interval until the connection is closed or
// a ping cannot be written, then tells the peer goodbye.
func (c *Conn) Keepalive(interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	defer c.sayGoodbye() // HAZ defer-blocking-call
	for {
		select {
		case <-c.closed:
			return
		case <-t.C:
			if err := c.Send(Frame{Op: OpPing}); err != nil {
				return
			}
		}
	}
}

// CloseGracefully sends BYE within timeout and closes the connection.
func (c *Conn) CloseGracefully(timeout time.Duration) error {
	defer c.Close()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	return WriteFrame(c.nc, Frame{Op: OpBye})
}

// Close closes the connection once; later calls report net.ErrClosed.
func (c *Conn) Close() error {
	err := net.ErrClosed
	c.closeOnce.Do(func() {
		close(c.closed)
		err = c.nc.Close()
	})
	return err
}

// Done is closed when the connection is closed locally.
func (c *Conn) Done() <-chan struct{} {
	return c.closed
}
