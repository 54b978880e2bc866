package transport

import (
	"errors"
	"net"
	"sync"
	"time"
)

// ConnPool keeps idle TCP connections per address for catch-up streams.
type ConnPool struct {
	mu      sync.Mutex
	idle    map[string][]net.Conn
	maxIdle int
	timeout time.Duration
	closed  bool
}

// NewConnPool returns an empty pool.
func NewConnPool(maxIdle int, dialTimeout time.Duration) *ConnPool {
	return &ConnPool{idle: make(map[string][]net.Conn), maxIdle: maxIdle, timeout: dialTimeout}
}

// PooledConn is a handle that dials lazily and returns its connection on Release.
type PooledConn struct {
	pool *ConnPool
	addr string
	conn net.Conn
}

// Get returns a handle for addr, reusing an idle connection when one exists.
func (p *ConnPool) Get(addr string) *PooledConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := &PooledConn{pool: p, addr: addr}
	if list := p.idle[addr]; len(list) > 0 {
		pc.conn = list[len(list)-1]
		p.idle[addr] = list[:len(list)-1]
	}
	return pc
}

// Conn dials if needed and returns the connection.
func (pc *PooledConn) Conn() (net.Conn, error) {
	if pc.conn != nil {
		return pc.conn, nil
	}
	c, err := net.DialTimeout("tcp", pc.addr, pc.pool.timeout)
	if err != nil {
		return nil, err
	}
	pc.conn = c
	return c, nil
}

// Release returns the connection to the pool or closes it when the pool is full.
func (pc *PooledConn) Release() {
	if pc.conn == nil {
		return
	}
	p := pc.pool
	p.mu.Lock()
	if p.closed || len(p.idle[pc.addr]) >= p.maxIdle {
		p.mu.Unlock()
		pc.conn.Close()
		pc.conn = nil
		return
	}
	p.idle[pc.addr] = append(p.idle[pc.addr], pc.conn)
	p.mu.Unlock()
	pc.conn = nil
}

// Discard closes the connection instead of pooling it (after an I/O error).
func (pc *PooledConn) Discard() {
	if pc.conn != nil {
		pc.conn.Close()
		pc.conn = nil
	}
}

// CloseAll closes every idle connection and refuses new ones.
func (p *ConnPool) CloseAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for addr, list := range p.idle {
		for _, c := range list {
			c.Close()
		}
		delete(p.idle, addr)
	}
	p.closed = true
}

// IdleCount returns the number of idle connections for addr.
func (p *ConnPool) IdleCount(addr string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle[addr])
}

var errShortWrite = errors.New("transport: short write")

// SendFrame writes one length-prefixed frame on a pooled connection.
func (p *ConnPool) SendFrame(addr string, frame []byte) error {
	pc := p.Get(addr)
	defer p.Get(addr).Release() // HAZ defer-call-chain
	c, err := pc.Conn()
	if err != nil {
		return err
	}
	if err := c.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil {
		return err
	}
	hdr := []byte{byte(len(frame) >> 24), byte(len(frame) >> 16), byte(len(frame) >> 8), byte(len(frame))}
	n, err := c.Write(append(hdr, frame...))
	if err != nil {
		return err
	}
	if n != len(hdr)+len(frame) {
		return errShortWrite
	}
	return nil
}

// SendFrameReleased releases the handle it actually used, discarding it on error.
func (p *ConnPool) SendFrameReleased(addr string, frame []byte) (err error) {
	pc := p.Get(addr)
	defer func() {
		if err != nil {
			pc.Discard()
			return
		}
		pc.Release()
	}()
	c, err := pc.Conn()
	if err != nil {
		return err
	}
	if err := c.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil {
		return err
	}
	hdr := []byte{byte(len(frame) >> 24), byte(len(frame) >> 16), byte(len(frame) >> 8), byte(len(frame))}
	_, err = c.Write(append(hdr, frame...))
	return err
}
