// Package ws implements the gateway's "stream" protocol, a websocket-like
// upgrade of an HTTP/1.1 connection to length-prefixed frames. It is used by
// internal dashboards that need bidirectional messages through the gateway.
//
// After "Upgrade: gateway-stream" the connection carries frames made of a
// 4-byte big-endian length and that many payload bytes. A zero-length frame
// closes the session.
package ws

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Protocol is the Upgrade token.
const Protocol = "gateway-stream"

// MaxFrame bounds a frame's payload.
const MaxFrame = 1 << 20

var (
	errNotUpgrade = errors.New("ws: request is not a " + Protocol + " upgrade")
	// ErrClosed is returned by ReadFrame for a close frame.
	ErrClosed = errors.New("ws: session closed by peer")
)

var closeFrame = []byte{0, 0, 0, 0}

// ReadFrame reads one frame from r.
func ReadFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 {
		return nil, ErrClosed
	}
	if int64(n) > int64(max) {
		return nil, fmt.Errorf("ws: frame of %d bytes exceeds %d", n, max)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return nil, err
	}
	return p, nil
}

// WriteFrameTo writes one frame of p to w.
func WriteFrameTo(w io.Writer, p []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(p)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

// Conn is one upgraded session.
type Conn struct {
	id string
	nc net.Conn
	br *bufio.Reader

	mu sync.Mutex // serialises writers
	bw *bufio.Writer

	out       chan []byte
	closed    atomic.Bool
	panicOnce sync.Once
}

// WriteFrame sends p as one frame, with a write deadline.
func (c *Conn) WriteFrame(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	if err := WriteFrameTo(c.bw, p); err != nil {
		return err
	}
	return c.bw.Flush()
}

// Close sends a close frame (best effort, one-second deadline) and closes
// the connection. It is safe to call more than once.
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	c.mu.Lock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.bw.Write(closeFrame)
	_ = c.bw.Flush()
	c.mu.Unlock()
	return c.nc.Close()
}

// Upgrade hijacks the client connection of r and answers 101.
func Upgrade(w http.ResponseWriter, r *http.Request, id string) (*Conn, error) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), Protocol) {
		return nil, errNotUpgrade
	}
	nc, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, err
	}
	_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + Protocol + "\r\nConnection: Upgrade\r\n\r\n")
	if err := brw.Flush(); err != nil {
		nc.Close()
		return nil, err
	}
	return &Conn{id: id, nc: nc, br: brw.Reader, bw: brw.Writer, out: make(chan []byte, 32)}, nil
}

// Dial opens a client session to the gateway at addr (host:port).
func Dial(ctx context.Context, addr, path string) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	defer nc.SetDeadline(time.Time{}) // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if err := nc.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		nc.Close()
		return nil, err
	}
	br := bufio.NewReader(nc)
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: Upgrade\r\nUpgrade: " + Protocol + "\r\n\r\n"
	if _, err := io.WriteString(nc, req); err != nil {
		nc.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		nc.Close()
		return nil, fmt.Errorf("ws: upgrade refused: %s", resp.Status)
	}
	return &Conn{id: "client", nc: nc, br: br, bw: bufio.NewWriter(nc), out: make(chan []byte, 32)}, nil
}
