// Package wire is the hand-rolled framing used on long-lived editor
// connections: a one-byte type, a big-endian uint32 length, then the payload.
package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const headerLen = 5

// DefaultMaxFrame bounds payloads when the caller has no better limit.
const DefaultMaxFrame = 1 << 20

// maxHelloFrame bounds the handshake frame, read before authentication.
const maxHelloFrame = 4 << 10

// Type is the frame type.
type Type byte

// Frame types.
const (
	TypeHello Type = iota + 1
	TypeOp
	TypeAck
	TypeError
	TypePresence
	TypePing
	TypePong
	TypeClose
)

// Errors returned by ReadFrame.
var (
	ErrFrameTooLarge = errors.New("wire: frame too large")
	ErrBadType       = errors.New("wire: unknown frame type")
	ErrUnexpected    = errors.New("wire: unexpected frame")
)

// Frame is one message on the wire.
type Frame struct {
	Type    Type
	Payload []byte
}

// String names the frame type.
func (t Type) String() string {
	names := [...]string{"", "hello", "op", "ack", "error", "presence", "ping", "pong", "close"}
	if int(t) < len(names) && t != 0 {
		return names[t]
	}
	return fmt.Sprintf("type(%d)", byte(t))
}

// Encode returns the wire form of f.
func Encode(f Frame) []byte {
	buf := make([]byte, headerLen+len(f.Payload))
	buf[0] = byte(f.Type)
	binary.BigEndian.PutUint32(buf[1:headerLen], uint32(len(f.Payload)))
	copy(buf[headerLen:], f.Payload)
	return buf
}

// WriteFrame writes f to w.
func WriteFrame(w io.Writer, f Frame) error {
	var hdr [headerLen]byte
	hdr[0] = byte(f.Type)
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(f.Payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(f.Payload)
	return err
}

// ReadFrame reads one frame of at most max payload bytes.
func ReadFrame(r io.Reader, max int) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	t := Type(hdr[0])
	if t < TypeHello || t > TypeClose {
		return Frame{}, fmt.Errorf("%w: %d", ErrBadType, hdr[0])
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if int64(n) > int64(max) {
		return Frame{}, fmt.Errorf("%w: %d > %d", ErrFrameTooLarge, n, max)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, fmt.Errorf("wire: reading %s payload: %w", t, err)
	}
	return Frame{Type: t, Payload: p}, nil
}

// Hello is the first frame in each direction.
type Hello struct {
	Client  string `json:"client"`
	Doc     string `json:"doc"`
	Version uint64 `json:"version,omitempty"`
	Token   string `json:"token,omitempty"`
}

// WriteHello sends a hello frame.
func WriteHello(w io.Writer, h Hello) error {
	p, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return WriteFrame(w, Frame{Type: TypeHello, Payload: p})
}

// ReadHello reads and decodes a hello frame.
func ReadHello(r io.Reader) (Hello, error) {
	f, err := ReadFrame(r, maxHelloFrame)
	if err != nil {
		return Hello{}, err
	}
	if f.Type != TypeHello {
		return Hello{}, fmt.Errorf("%w: got %s, want hello", ErrUnexpected, f.Type)
	}
	var h Hello
	if err := json.Unmarshal(f.Payload, &h); err != nil {
		return Hello{}, fmt.Errorf("wire: bad hello: %w", err)
	}
	return h, nil
}

// Conn is a framed connection. Reads must come from a single goroutine;
// writes may come from any.
type Conn struct {
	nc          net.Conn
	br          *bufio.Reader
	wmu         sync.Mutex
	bw          *bufio.Writer
	max         int
	readTimeout time.Duration
	closed      atomic.Bool
}

// NewConn wraps nc.
func NewConn(nc net.Conn, max int) *Conn {
	if max <= 0 {
		max = DefaultMaxFrame
	}
	return &Conn{
		nc:  nc,
		br:  bufio.NewReaderSize(nc, 16<<10),
		bw:  bufio.NewWriterSize(nc, 16<<10),
		max: max,
	}
}

// SetReadTimeout makes every Read fail if no frame arrives within d.
func (c *Conn) SetReadTimeout(d time.Duration) { c.readTimeout = d }

// Read reads the next frame.
func (c *Conn) Read() (Frame, error) {
	if c.readTimeout > 0 {
		if err := c.nc.SetReadDeadline(time.Now().Add(c.readTimeout)); err != nil {
			return Frame{}, err
		}
	}
	return ReadFrame(c.br, c.max)
}

// Write writes and flushes one frame, giving up after timeout.
func (c *Conn) Write(f Frame, timeout time.Duration) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if err := WriteFrame(c.bw, f); err != nil {
		return err
	}
	return c.bw.Flush()
}

// WriteBatch writes frames with a single flush.
func (c *Conn) WriteBatch(frames []Frame, timeout time.Duration) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	for _, f := range frames {
		if err := WriteFrame(c.bw, f); err != nil {
			return err
		}
	}
	return c.bw.Flush()
}

// Interrupt unblocks a pending Read without closing the connection.
func (c *Conn) Interrupt() error {
	return c.nc.SetReadDeadline(time.Now())
}

// Close closes the underlying connection once.
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	return c.nc.Close()
}

// Closed reports whether Close was called.
func (c *Conn) Closed() bool { return c.closed.Load() }

// RemoteAddr returns the peer address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// Ping sends a ping and waits up to timeout for the pong. It reads from the
// connection itself, so it is only for connections that have no reader
// goroutine (tools, health checks).
func (c *Conn) Ping(timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := c.Write(Frame{Type: TypePing}, timeout); err != nil {
		return 0, err
	}
	pong := make(chan error)
	go func() {
		f, err := c.Read()
		if err == nil && f.Type != TypePong {
			err = fmt.Errorf("%w: got %s, want pong", ErrUnexpected, f.Type)
		}
		pong <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-pong:
		return time.Since(start), err
	case <-time.After(timeout):
		return 0, errors.New("wire: ping timed out")
	}
}
