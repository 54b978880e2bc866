package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Errors returned by Get.
var (
	ErrClosed    = errors.New("pool: closed")
	ErrExhausted = errors.New("pool: all connections in use")
)

// DialFunc opens a new connection.
type DialFunc func(ctx context.Context) (net.Conn, error)

// Options bound the pool.
type Options struct {
	MaxOpen     int
	MaxIdle     int
	IdleTimeout time.Duration
	DialTimeout time.Duration
}

// Pool is a LIFO connection pool.
type Pool struct {
	dial DialFunc
	opts Options

	mu     sync.Mutex
	idle   []*Conn
	open   int
	closed bool

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New returns a pool. When IdleTimeout is set, a reaper goroutine closes
// connections idle for longer; Close stops it.
func New(dial DialFunc, opts Options) *Pool {
	if opts.MaxOpen <= 0 {
		opts.MaxOpen = 16
	}
	if opts.MaxIdle <= 0 || opts.MaxIdle > opts.MaxOpen {
		opts.MaxIdle = opts.MaxOpen
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{dial: dial, opts: opts, stop: cancel}
	if opts.IdleTimeout > 0 {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.reap(ctx, opts.IdleTimeout/2)
		}()
	}
	return p
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		c.lastUsed = time.Now()
		return c, nil
	}
	if p.open >= p.opts.MaxOpen {
		p.mu.Unlock()
		return nil, ErrExhausted
	}
	p.open++
	p.mu.Unlock()

	nc, err := p.dialTimeout(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil, err
	}
	now := time.Now()
	return &Conn{Conn: nc, pool: p, created: now, lastUsed: now}, nil
}

// Put returns c to the pool. Broken connections, and connections beyond
// MaxIdle or after Close, are closed instead; the close happens after the
// lock is released.
func (p *Pool) Put(c *Conn) error {
	p.mu.Lock()
	if !p.closed && !c.broken && len(p.idle) < p.opts.MaxIdle {
		c.lastUsed = time.Now()
		p.idle = append(p.idle, c)
		p.mu.Unlock()
		return nil
	}
	p.open--
	p.mu.Unlock()
	return c.Conn.Close()
}

// Close closes the idle connections and stops the reaper. Connections that
// are checked out are closed when they are Put back.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()

	p.stop()
	p.wg.Wait()
	errs := make([]error, 0, len(idle))
	for _, c := range idle {
		errs = append(errs, c.Conn.Close())
	}
	return errors.Join(errs...)
}

// Stats is a point-in-time view of the pool.
type Stats struct {
	Open int
	Idle int
}

// Stats reports the current counts.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Open: p.open, Idle: len(p.idle)}
}

// Freeze blocks every Get, Put and Stats call until Thaw. It exists for the
// admin endpoint that swaps the dial function: call Freeze, then
// SetDialFrozen, then Thaw. The lock taken here is released by Thaw.
func (p *Pool) Freeze() {
	p.mu.Lock()
}

// Thaw releases the lock taken by Freeze.
func (p *Pool) Thaw() {
	p.mu.Unlock()
}

// SetDialFrozen replaces the dial function. Only call it between Freeze and
// Thaw.
func (p *Pool) SetDialFrozen(d DialFunc) {
	p.dial = d
}

// WithConn runs fn with a pooled connection and puts it back afterwards. A
// connection on which fn failed is discarded.
func (p *Pool) WithConn(ctx context.Context, fn func(*Conn) error) error {
	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	err = fn(c)
	if err != nil {
		c.MarkBroken()
	}
	if perr := p.Put(c); err == nil {
		err = perr
	}
	return err
}

// Acquire is Get with the matching release bound into a func. release is
// never nil, even on error, so callers may defer it unconditionally.
func (p *Pool) Acquire(ctx context.Context) (c *Conn, release func(), err error) {
	c, err = p.Get(ctx)
	if err != nil {
		return nil, func() {}, err
	}
	var once sync.Once
	return c, func() { once.Do(func() { _ = p.Put(c) }) }, nil
}

// Warm dials up to n connections in parallel and parks them in the idle
// list, so the first requests after start-up do not pay for the dial.
func (p *Pool) Warm(ctx context.Context, n int) (started int, err error) {
	errs := make([]error, n)
	var wg sync.WaitGroup
	i := 0
	for i = 0; i < n && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c, err := p.Get(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = p.Put(c)
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}
