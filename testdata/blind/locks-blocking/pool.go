package blindc

import (
	"context"
	"errors"
	"net"
	"sync"
)

var (
	ErrPoolClosed    = errors.New("pool: closed")
	ErrPoolExhausted = errors.New("pool: exhausted")
)

// DialFunc opens a new connection to the backend.
type DialFunc func(ctx context.Context) (net.Conn, error)

type poolStats struct {
	mu    sync.Mutex
	gets  int64
	dials int64
}

func (s *poolStats) incGets() {
	s.mu.Lock()
	s.gets++
	s.mu.Unlock()
}

func (s *poolStats) incDials() {
	s.mu.Lock()
	s.dials++
	s.mu.Unlock()
}

// ConnPool is a bounded pool of network connections. active counts
// connections handed out plus idle ones.
type ConnPool struct {
	mu      sync.Mutex
	avail   *sync.Cond
	idle    []net.Conn
	active  int
	max     int
	waiters int
	closed  bool
	dial    DialFunc
	stats   *poolStats
}

// NewConnPool returns a pool that holds at most max connections.
func NewConnPool(max int, dial DialFunc) *ConnPool {
	p := &ConnPool{max: max, dial: dial, stats: &poolStats{}}
	p.avail = sync.NewCond(&p.mu)
	return p
}

// IdleCount returns the number of idle connections.
func (p *ConnPool) IdleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

func (p *ConnPool) dialNew(ctx context.Context) (net.Conn, error) {
	c, err := p.dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.active--
		p.avail.Signal()
		p.mu.Unlock()
		return nil, err
	}
	p.stats.incDials()
	return c, nil
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// GetConn returns an idle connection or dials a new one.
func (p *ConnPool) GetConn(ctx context.Context) (net.Conn, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return nil, ErrPoolClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	if p.active >= p.max {
		p.mu.Unlock()
		return nil, ErrPoolExhausted
	}
	p.active++
	p.mu.Unlock()
	return p.dialNew(ctx)
}

// Acquire is like GetConn but waits for a connection to become available.
func (p *ConnPool) Acquire(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	for len(p.idle) == 0 && p.active >= p.max && !p.closed {
		p.waiters++
		p.avail.Wait()
		p.waiters--
	}
	if p.closed {
		p.mu.Unlock() // ok: released before the early return
		return nil, ErrPoolClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.active++
	p.mu.Unlock()
	return p.dialNew(ctx)
}

// Release returns c to the pool, or closes it if the pool is full or closed.
func (p *ConnPool) Release(c net.Conn) {
	p.mu.Lock()
	if p.closed || len(p.idle) >= p.max {
		p.active--
		p.mu.Unlock() // ok: released before the network close and return
		_ = c.Close()
		return
	}
	p.idle = append(p.idle, c)
	p.avail.Signal()
	p.mu.Unlock()
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// Shrink closes idle connections until at most keep remain.
func (p *ConnPool) Shrink(keep int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	closed := 0
	for p.IdleCount() > keep { // HAZ lock-reentry-under-defer
		c := p.idle[0]
		p.idle = p.idle[1:]
		p.active--
		_ = c.Close()
		closed++
	}
	return closed
}

// Resize changes the pool's capacity and wakes waiters if it grew.
func (p *ConnPool) Resize(max int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if max < 1 {
		max = 1
	}
	grew := max > p.max
	p.max = max
	if len(p.idle) > max {
		extra := p.idle[max:]
		p.idle = p.idle[:max]
		p.active -= len(extra)
		go closeAll(extra)
	}
	if grew && p.waiters > 0 {
		p.mu.Lock() // HAZ lock-reentry-under-defer
		p.avail.Broadcast()
		p.mu.Unlock()
	}
}

// TryGetIdle returns an idle connection without dialing.
func (p *ConnPool) TryGetIdle() (net.Conn, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.incGets() // ok: poolStats has its own mutex
	n := len(p.idle)
	if n == 0 {
		return nil, false
	}
	c := p.idle[n-1]
	p.idle = p.idle[:n-1]
	return c, true
}

// pruneIdle closes every idle connection.
func (p *ConnPool) pruneIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active -= len(p.idle)
	closeAll(p.idle)
	p.idle = nil
}

// SetMax changes the capacity; surplus idle connections are pruned in the
// background once this call has released the lock.
func (p *ConnPool) SetMax(max int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.max = max
	if len(p.idle) > max {
		go p.pruneIdle() // ok: another goroutine, it simply waits for our unlock
	}
	p.avail.Broadcast()
}

func (p *ConnPool) closeIdleLocked() error {
	var errs []error
	for _, c := range p.idle {
		errs = append(errs, c.Close())
	}
	p.active -= len(p.idle)
	p.idle = nil
	return errors.Join(errs...)
}

// Close closes the pool and its idle connections.
func (p *ConnPool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrPoolClosed
	}
	p.closed = true
	p.avail.Broadcast()
	return p.closeIdleLocked() // ok: Locked helper does not lock
}

// ---------------------------------------------------------------------------
// defer-blocking-call

var quitCmd = []byte("QUIT\r\n")

// Retire says goodbye to the server and closes c for good.
func (p *ConnPool) Retire(c net.Conn) {
	defer c.Close()
	defer c.Write(quitCmd) // HAZ defer-blocking-call
	p.mu.Lock()
	p.active--
	p.avail.Signal()
	p.mu.Unlock()
}

// Discard drops a broken connection without talking to the server.
func (p *ConnPool) Discard(c net.Conn) {
	defer c.Close() // ok: plain Close
	p.mu.Lock()
	p.active--
	p.avail.Signal()
	p.mu.Unlock()
}
