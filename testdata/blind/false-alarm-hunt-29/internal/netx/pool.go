// Package netx has a small pool of reusable network connections.
package netx

import (
	"context"
	"net"
)

// ConnPool keeps up to size idle connections for reuse. Idle connections
// live in a buffered channel; taking and returning one never blocks.
type ConnPool struct {
	idle chan net.Conn
	dial func(context.Context) (net.Conn, error)
}

// NewConnPool returns a pool that dials with dial when no idle connection
// is available.
func NewConnPool(size int, dial func(context.Context) (net.Conn, error)) *ConnPool {
	return &ConnPool{idle: make(chan net.Conn, size), dial: dial}
}

// Dialer returns a dial func for addr over network.
func Dialer(network, addr string) func(context.Context) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
}

func (p *ConnPool) acquire(ctx context.Context) (net.Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	return p.dial(ctx)
}

// put returns c to the pool, or closes it when the pool is full.
func (p *ConnPool) put(c net.Conn) {
	select {
	case p.idle <- c:
	default:
		_ = c.Close()
	}
}

// Exec calls fn with a pooled connection and returns it to the pool.
func (p *ConnPool) Exec(ctx context.Context, fn func(net.Conn) error) error {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer p.put(c)
	return fn(c)
}

// WithConn is Exec that drops a connection instead of reusing it when fn
// fails, since its state is then unknown.
func (p *ConnPool) WithConn(ctx context.Context, fn func(net.Conn) error) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	release = func() { p.put(c) }
	if err := fn(c); err != nil {
		release = func() { _ = c.Close() }
		return err
	}
	return nil
}

// TryConn is WithConn written with the decision made at exit.
func (p *ConnPool) TryConn(ctx context.Context, fn func(net.Conn) error) (err error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = c.Close()
			return
		}
		p.put(c)
	}()
	return fn(c)
}

// Close closes every idle connection. Connections in use are closed when
// they are returned to a full pool.
func (p *ConnPool) Close() error {
	for {
		select {
		case c := <-p.idle:
			_ = c.Close()
		default:
			return nil
		}
	}
}
