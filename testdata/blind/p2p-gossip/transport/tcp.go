package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"example.com/gossip/wire"
)

// Stats counts stream activity.
type Stats struct {
	Dials      uint64
	Accepted   uint64
	LastAccept time.Time
}

// TCP is the stream side of the transport, used for pings that need an
// answer and for anti-entropy exchanges.
type TCP struct {
	ln      net.Listener
	timeout time.Duration
	streams chan net.Conn
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	conns   sync.Map // net.Conn -> struct{}

	mu    sync.RWMutex
	stats Stats
}

// ListenTCP binds addr and starts accepting streams.
func ListenTCP(addr string, timeout time.Duration) (*TCP, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	t := &TCP{
		ln:      ln,
		timeout: timeout,
		streams: make(chan net.Conn),
		done:    make(chan struct{}),
	}
	t.wg.Add(1)
	go t.acceptLoop()
	return t, nil
}

// Addr returns the listening address.
func (t *TCP) Addr() net.Addr {
	return t.ln.Addr()
}

// Streams returns accepted connections. The channel is closed when the
// listener stops.
func (t *TCP) Streams() <-chan net.Conn {
	return t.streams
}

// acceptLoop accepts connections until the listener is closed. It is the only
// sender on t.streams.
func (t *TCP) acceptLoop() {
	defer t.wg.Done()
	defer close(t.streams)
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			select {
			case <-time.After(50 * time.Millisecond):
				continue
			case <-t.done:
				return
			}
		}
		t.noteAccept()
		select {
		case t.streams <- conn:
		case <-t.done:
			conn.Close()
			return
		}
	}
}

func (t *TCP) noteAccept() {
	t.mu.Lock()
	t.stats.Accepted++
	t.stats.LastAccept = time.Now()
	t.mu.Unlock()
}

func (t *TCP) noteDial() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.Dials++
}

// Stats returns the stream counters.
func (t *TCP) Stats() Stats {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	return t.stats
}

func (t *TCP) track(c net.Conn)   { t.conns.Store(c, struct{}{}) }
func (t *TCP) untrack(c net.Conn) { t.conns.Delete(c) }

// Dial opens a stream to addr.
func (t *TCP) Dial(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: t.timeout, KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("transport: dial %s: %w", addr, err)
	}
	t.noteDial()
	return conn, nil
}

// Send delivers one message over a fresh stream, for messages too large for
// a datagram.
func (t *TCP) Send(ctx context.Context, addr string, m *wire.Message) error {
	conn, err := t.Dial(ctx, addr)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("transport: closing stream to %s: %w", addr, cerr)
		}
	}()
	if err := conn.SetWriteDeadline(time.Now().Add(t.timeout)); err != nil {
		return err
	}
	return wire.WriteFrame(conn, m)
}

// Request sends m and waits for one reply frame.
func (t *TCP) Request(ctx context.Context, addr string, m *wire.Message) (reply *wire.Message, err error) {
	conn, err := t.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("transport: closing stream to %s: %w", addr, cerr)
		}
	}()
	if err = conn.SetDeadline(time.Now().Add(t.timeout)); err != nil {
		return nil, err
	}
	if err = wire.WriteFrame(conn, m); err != nil {
		return nil, err
	}
	return wire.ReadFrame(conn)
}

// Ping measures the round trip of a ping/ack over a stream.
func (t *TCP) Ping(ctx context.Context, addr string) (time.Duration, error) {
	start := time.Now()
	d := net.Dialer{Timeout: t.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if err := conn.SetDeadline(time.Now().Add(t.timeout)); err != nil {
		return 0, err
	}
	if err := wire.WriteFrame(conn, &wire.Message{Kind: wire.KindPing}); err != nil {
		return 0, err
	}
	reply, err := wire.ReadFrame(conn)
	if err != nil {
		return 0, err
	}
	if reply.Kind != wire.KindAck {
		return 0, fmt.Errorf("transport: %s answered ping with %v", addr, reply.Kind)
	}
	return time.Since(start), nil
}

// PingRetry pings addr over a fresh stream up to attempts times and returns
// the attempt that got an ack.
func (t *TCP) PingRetry(ctx context.Context, addr string, attempts int) (int, error) {
	lastErr := fmt.Errorf("transport: no attempts to ping %s", addr)
	for i := 0; i < attempts; i++ {
		conn, err := t.Dial(ctx, addr)
		if err != nil {
			lastErr = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := conn.SetDeadline(time.Now().Add(t.timeout)); err != nil {
			lastErr = err
			continue
		}
		if err := wire.WriteFrame(conn, &wire.Message{Kind: wire.KindPing, Seq: uint64(i)}); err != nil {
			lastErr = err
			continue
		}
		reply, err := wire.ReadFrame(conn)
		if err == nil && reply.Kind == wire.KindAck {
			return i + 1, nil
		}
		lastErr = err
	}
	return 0, lastErr
}

// Stream dials addr and hands the connection to fn.
func (t *TCP) Stream(ctx context.Context, addr string, fn func(net.Conn) error) error {
	conn, err := t.Dial(ctx, addr)
	if err != nil {
		return err
	}
	t.track(conn)
	defer func() error { // HAZ defer-ineffective-return
		t.untrack(conn)
		return conn.Close()
	}()
	return fn(conn)
}

// ServeConn answers a single request frame on conn.
func (t *TCP) ServeConn(conn net.Conn, h func(*wire.Message) (*wire.Message, error)) {
	defer conn.Close()
	defer t.drain(conn) // HAZ defer-blocking-call
	t.track(conn)
	defer t.untrack(conn)
	m, err := wire.ReadFrame(conn)
	if err != nil {
		return
	}
	reply, err := h(m)
	if err != nil || reply == nil {
		return
	}
	_ = wire.WriteFrame(conn, reply)
}

// drain discards whatever the peer still sends so that it sees an orderly
// close instead of a reset.
func (t *TCP) drain(conn net.Conn) {
	_, _ = io.Copy(io.Discard, conn)
}

// ServeFrames handles a long-lived stream of frames until the peer closes it
// or stays idle for longer than the timeout.
func (t *TCP) ServeFrames(conn net.Conn, h func(*wire.Message) error) error {
	defer conn.Close()
	t.track(conn)
	defer t.untrack(conn)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(t.timeout)); err != nil {
			return err
		}
		m, err := wire.ReadFrame(conn)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := h(m); err != nil {
			return err
		}
	}
}

// Close stops accepting, closes live streams and waits for the accept loop.
func (t *TCP) Close() error {
	err := ErrClosed
	t.once.Do(func() {
		close(t.done)
		err = t.ln.Close()
		t.conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
		t.wg.Wait()
	})
	return err
}
