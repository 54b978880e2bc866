package proxy

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// ErrPoolClosed is returned by Get after Close.
var ErrPoolClosed = errors.New("pool: closed")

// Pool keeps idle upstream connections for reuse.
type Pool struct {
	Dial        func(ctx context.Context) (net.Conn, error)
	IdleTimeout time.Duration

	mu      sync.Mutex
	idle    []idleConn
	maxIdle int
	active  int
	closed  bool

	wg   sync.WaitGroup
	stop chan struct{}
}

type idleConn struct {
	c     net.Conn
	since time.Time
}

func NewPool(dial func(ctx context.Context) (net.Conn, error), maxIdle int, idleTimeout time.Duration) *Pool {
	return &Pool{Dial: dial, maxIdle: maxIdle, IdleTimeout: idleTimeout, stop: make(chan struct{})}
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrPoolClosed
	}
	for len(p.idle) > 0 {
		ic := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(ic.since) > p.IdleTimeout {
			ic.c.Close()
			continue
		}
		p.active++
		p.mu.Unlock()
		return ic.c, nil
	}
	p.active++
	p.mu.Unlock() // ok: every path above unlocks before it returns

	c, err := p.Dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.active--
		p.mu.Unlock()
		return nil, err
	}
	return c, nil
}

// Put returns c to the pool; broken connections are closed instead.
func (p *Pool) Put(c net.Conn, broken bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active--
	if broken || p.closed || len(p.idle) >= p.maxIdle {
		c.Close()
		return
	}
	p.idle = append(p.idle, idleConn{c: c, since: time.Now()})
}

// Stats reports idle and checked-out connection counts.
func (p *Pool) Stats() (idle, active int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle), p.active
}

// SetMaxIdle changes the idle cap, closing surplus idle connections.
func (p *Pool) SetMaxIdle(n int) {
	p.mu.Lock()
	p.maxIdle = n
	var surplus []idleConn
	if len(p.idle) > n {
		surplus = append(surplus, p.idle[n:]...)
		p.idle = p.idle[:n]
	}
	p.mu.Unlock()
	for _, ic := range surplus {
		ic.c.Close()
	}
}

// Evict closes idle connections for which match reports true, e.g. after
// a backend has been drained. It returns how many were closed.
func (p *Pool) Evict(match func(net.Conn) bool) int {
	p.mu.Lock() // HAZ lock-leaked-on-return
	kept := p.idle[:0]
	n := 0
	for _, ic := range p.idle {
		if match(ic.c) {
			ic.c.Close()
			n++
			continue
		}
		kept = append(kept, ic)
	}
	p.idle = kept
	if n == 0 {
		return 0
	}
	p.mu.Unlock()
	return n
}

// StartReaper closes idle connections older than IdleTimeout on every tick
// until Close.
func (p *Pool) StartReaper(interval time.Duration) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case now := <-t.C:
				p.reap(now)
			}
		}
	}()
}

func (p *Pool) reap(now time.Time) {
	p.mu.Lock()
	var stale []net.Conn
	kept := p.idle[:0]
	for _, ic := range p.idle {
		if now.Sub(ic.since) > p.IdleTimeout {
			stale = append(stale, ic.c)
			continue
		}
		kept = append(kept, ic)
	}
	p.idle = kept
	p.mu.Unlock()
	for _, c := range stale {
		c.Close() // ok: closed outside the lock
	}
}

// Close stops the reaper and closes every idle connection.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	close(p.stop)
	p.mu.Unlock()

	p.wg.Wait()
	var errs []error
	for _, ic := range idle {
		errs = append(errs, ic.c.Close())
	}
	return errors.Join(errs...)
}
