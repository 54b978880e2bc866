package proxyproto

import (
	"bufio"
	"errors"
	"net"
	"sync"
	"time"
)

// Conn is a net.Conn whose RemoteAddr reports the address from the PROXY
// header. The header is read lazily on first use.
type Conn struct {
	net.Conn
	br      *bufio.Reader
	timeout time.Duration
	once    sync.Once
	hdr     *Header
	err     error
}

// NewConn wraps c. The header must arrive within timeout.
func NewConn(c net.Conn, timeout time.Duration) *Conn {
	return &Conn{Conn: c, br: bufio.NewReaderSize(c, 256), timeout: timeout}
}

// Accept wraps c and reads its header eagerly, so that a client that never
// sends one is rejected before a backend is dialled.
func Accept(c net.Conn, timeout time.Duration) (*Conn, error) {
	pc := NewConn(c, timeout)
	if _, err := pc.Header(); err != nil {
		return nil, err
	}
	return pc, nil
}

func (c *Conn) readHeader() {
	if c.timeout > 0 {
		if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
			c.err = err
			return
		}
		defer c.Conn.SetReadDeadline(time.Time{})
	}
	c.hdr, c.err = Read(c.br)
	if errors.Is(c.err, ErrNoHeader) {
		c.hdr, c.err = nil, nil
	}
}

// Header returns the parsed header; nil when the client sent none.
func (c *Conn) Header() (*Header, error) {
	c.once.Do(c.readHeader)
	return c.hdr, c.err
}

// Read reads payload after the header.
func (c *Conn) Read(p []byte) (int, error) {
	if _, err := c.Header(); err != nil {
		return 0, err
	}
	return c.br.Read(p)
}

// RemoteAddr returns the original client address when a header was sent.
func (c *Conn) RemoteAddr() net.Addr {
	if h, err := c.Header(); err == nil && h != nil && h.Src != nil {
		return h.Src
	}
	return c.Conn.RemoteAddr()
}

// CloseWrite half-closes the underlying TCP connection when possible.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Conn.Close()
}
