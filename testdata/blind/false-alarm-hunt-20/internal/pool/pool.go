// Package pool keeps a bounded set of connections to a line-protocol backend
// (the cache and lock service used by the API).
package pool

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool: closed")

// DialFunc opens a new backend connection.
type DialFunc func(ctx context.Context) (net.Conn, error)

// Stats describes the pool at one instant.
type Stats struct {
	Open, Idle   int
	WaitCount    int64
	WaitDuration time.Duration
}

// Pool hands out at most maxOpen connections and keeps up to maxIdle of them
// when they are returned.
type Pool struct {
	dial        DialFunc
	idle        chan *Conn
	slots       chan struct{}
	maxLifetime time.Duration
	closed      atomic.Bool

	mu        sync.Mutex
	waitCount int64
	waitDur   time.Duration

	// OnError, when set before use, is told about failed Do calls.
	OnError func(cmd string, err error)
}

// New returns an empty pool.
func New(dial DialFunc, maxIdle, maxOpen int, maxLifetime time.Duration) *Pool {
	if maxIdle > maxOpen {
		maxIdle = maxOpen
	}
	return &Pool{
		dial:        dial,
		idle:        make(chan *Conn, maxIdle),
		slots:       make(chan struct{}, maxOpen),
		maxLifetime: maxLifetime,
	}
}

// TCPDialer dials addr with a connect timeout.
func TCPDialer(addr string, timeout time.Duration) DialFunc {
	return func(ctx context.Context) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
		return d.DialContext(ctx, "tcp", addr)
	}
}

// Get returns an idle connection, or dials one when a slot is free, waiting
// for either until ctx is done.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	for {
		if p.closed.Load() {
			return nil, ErrClosed
		}
		select {
		case c := <-p.idle:
			if c.expired(p.maxLifetime) {
				p.discard(c)
				continue
			}
			return c, nil
		default:
		}
		start := time.Now()
		select {
		case c := <-p.idle:
			p.recordWait(start)
			if c.expired(p.maxLifetime) {
				p.discard(c)
				continue
			}
			return c, nil
		case p.slots <- struct{}{}:
			c, err := p.open(ctx)
			if err != nil {
				<-p.slots
				return nil, err
			}
			return c, nil
		case <-ctx.Done():
			p.recordWait(start)
			return nil, ctx.Err()
		}
	}
}

func (p *Pool) open(ctx context.Context) (*Conn, error) {
	nc, err := p.dial(ctx)
	if err != nil {
		return nil, fmt.Errorf("pool: dial: %w", err)
	}
	return &Conn{Conn: nc, pool: p, created: time.Now()}, nil
}

func (p *Pool) recordWait(start time.Time) {
	d := time.Since(start)
	p.mu.Lock()
	p.waitCount++
	p.waitDur += d
	p.mu.Unlock()
}

// Put returns c to the pool. It never blocks: a connection that does not fit
// in the idle set is closed.
func (p *Pool) Put(c *Conn) {
	if c == nil {
		return
	}
	if c.broken || p.closed.Load() {
		p.discard(c)
		return
	}
	select {
	case p.idle <- c:
	default:
		p.discard(c)
	}
}

// discard closes c and frees its slot; the slot is held, so the receive in
// the select always succeeds.
func (p *Pool) discard(c *Conn) {
	_ = c.Conn.Close()
	select {
	case <-p.slots:
	default:
	}
}

// WithConn runs fn with a pooled connection and returns it afterwards;
// connections that saw a network error are dropped.
func (p *Pool) WithConn(ctx context.Context, fn func(*Conn) error) error {
	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer p.Put(c)
	if err := fn(c); err != nil {
		var ne net.Error
		if errors.As(err, &ne) {
			c.MarkBroken()
		}
		return err
	}
	return nil
}

// Stats reports the pool's counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Open: len(p.slots), Idle: len(p.idle), WaitCount: p.waitCount, WaitDuration: p.waitDur}
}

// Close closes the idle connections; connections in use are closed when
// they are returned.
func (p *Pool) Close() error {
	if !p.closed.CompareAndSwap(false, true) {
		return ErrClosed
	}
	var errs []error
	for {
		select {
		case c := <-p.idle:
			if err := c.Conn.Close(); err != nil {
				errs = append(errs, err)
			}
			<-p.slots
		default:
			return errors.Join(errs...)
		}
	}
}

// Prewarm opens up to n connections in the background, staggering the dials
// so that the backend does not see a burst, and returns how many it started.
func (p *Pool) Prewarm(ctx context.Context, n int, stagger time.Duration) int {
	var i int
	for i = 0; i < n && i < cap(p.idle); i++ {
		go func() { // HAZ loop-var-capture
			time.Sleep(time.Duration(i) * stagger)
			c, err := p.Get(ctx)
			if err != nil {
				return
			}
			p.Put(c)
		}()
	}
	return i
}

// PrewarmSync opens up to n connections one after another, holding each
// until all are open so that every Get dials, and returns the number opened.
func (p *Pool) PrewarmSync(ctx context.Context, n int) int {
	held := make([]*Conn, 0, n)
	for i := 0; i < n && i < cap(p.idle); i++ {
		c, err := p.Get(ctx)
		if err != nil {
			break
		}
		held = append(held, c)
	}
	for _, c := range held {
		p.Put(c)
	}
	return len(held)
}
