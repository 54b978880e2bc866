package backend

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// ErrPoolClosed is returned by Get after Close.
var ErrPoolClosed = errors.New("backend: connection pool closed")

// DialFunc opens a new upstream connection.
type DialFunc func(ctx context.Context) (net.Conn, error)

type idleConn struct {
	c     net.Conn
	since time.Time
}

// ConnPool keeps warm upstream connections for one backend. At most max
// connections exist at once; Get blocks on a condition variable when all of
// them are in use.
type ConnPool struct {
	mu      sync.Mutex
	cond    *sync.Cond
	dial    DialFunc
	idle    []idleConn
	open    int
	max     int
	maxIdle int
	idleTTL time.Duration
	closed  bool
}

// NewConnPool returns an empty pool.
func NewConnPool(dial DialFunc, maxOpen, maxIdle int, idleTTL time.Duration) *ConnPool {
	p := &ConnPool{dial: dial, max: maxOpen, maxIdle: maxIdle, idleTTL: idleTTL}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Get returns an idle connection or dials a new one, waiting while the pool
// is at its limit. Every return path releases p.mu explicitly.
func (p *ConnPool) Get(ctx context.Context) (net.Conn, error) {
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer stop()

	p.mu.Lock()
	for len(p.idle) == 0 && p.open >= p.max && !p.closed {
		if err := ctx.Err(); err != nil {
			p.mu.Unlock()
			return nil, err
		}
		p.cond.Wait()
	}
	if p.closed {
		p.mu.Unlock()
		return nil, ErrPoolClosed
	}
	for len(p.idle) > 0 {
		ic := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(ic.since) < p.idleTTL {
			p.mu.Unlock()
			return ic.c, nil
		}
		p.open--
		ic.c.Close()
	}
	p.open++
	p.mu.Unlock()

	c, err := p.dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.cond.Signal()
		p.mu.Unlock()
		return nil, err
	}
	return c, nil
}

// Put returns a healthy connection to the pool.
func (p *ConnPool) Put(c net.Conn) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.open <= 0 {
		panic("backend: ConnPool.Put of a connection the pool never handed out")
	}
	if p.closed || len(p.idle) >= p.maxIdle {
		p.open--
		p.mu.Unlock()
		p.cond.Signal()
		c.Close()
		return
	}
	p.idle = append(p.idle, idleConn{c: c, since: time.Now()})
	p.mu.Unlock()
	p.cond.Signal()
}

// Discard closes a broken connection and frees its slot. The deferred unlock
// also covers the panic.
func (p *ConnPool) Discard(c net.Conn) {
	c.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open <= 0 {
		panic("backend: ConnPool.Discard of a connection the pool never handed out")
	}
	p.open--
	p.cond.Signal()
}

// Prewarm dials n connections ahead of traffic.
func (p *ConnPool) Prewarm(ctx context.Context, n int) error {
	for i := 0; i < n; i++ {
		c, err := p.dial(ctx)
		if err != nil {
			return err
		}
		p.mu.Lock()
		defer p.mu.Unlock() // HAZ defer-in-loop
		p.idle = append(p.idle, idleConn{c: c, since: time.Now()})
		p.open++
	}
	return nil
}

// Reap closes idle connections older than the TTL.
func (p *ConnPool) Reap() int {
	now := time.Now()
	var stale []net.Conn
	p.mu.Lock()
	kept := p.idle[:0]
	for _, ic := range p.idle {
		if now.Sub(ic.since) >= p.idleTTL {
			stale = append(stale, ic.c)
			continue
		}
		kept = append(kept, ic)
	}
	p.idle = kept
	p.open -= len(stale)
	p.mu.Unlock()
	if len(stale) > 0 {
		p.cond.Broadcast()
	}
	for _, c := range stale {
		c.Close()
	}
	return len(stale)
}

// Close closes idle connections and wakes every waiter; connections in use
// are closed when they are Put back.
func (p *ConnPool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.cond.Broadcast()
	p.mu.Unlock()

	var errs []error
	for _, ic := range idle {
		if err := ic.c.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// PoolStats is reported by the admin API.
type PoolStats struct {
	Open int `json:"open"`
	Idle int `json:"idle"`
	Max  int `json:"max"`
}

// Stats returns current counts.
func (p *ConnPool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Open: p.open, Idle: len(p.idle), Max: p.max}
}
