// Package pool keeps idle TCP connections to one address for reuse, with
// an optional limit on concurrent users and background health checks.
package pool

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"time"
)

var (
	ErrClosed = errors.New("pool: closed")
)

// Config tunes a pool.
type Config struct {
	Addr           string
	MaxIdle        int
	MaxConcurrent  int
	IdleTimeout    time.Duration
	HealthInterval time.Duration
	// Dial opens a connection; it predates context support in this code base
	// and cannot be cancelled. Defaults to net.Dial("tcp", Addr).
	Dial func() (net.Conn, error)
}

// Conn is a pooled connection.
type Conn struct {
	net.Conn

	mu       sync.Mutex
	created  time.Time
	lastUsed time.Time
	broken   bool
}

func (c *Conn) markUsed(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastUsed = now
}

func (c *Conn) markBroken() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.broken = true
}

func (c *Conn) usable(now time.Time, idleTimeout time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken {
		return false
	}
	return idleTimeout <= 0 || now.Sub(c.lastUsed) < idleTimeout
}

type limiter struct{ sem chan struct{} }

func (l *limiter) acquire(ctx context.Context) (func(), error) {
	select {
	case l.sem <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-l.sem }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Pool hands out connections to cfg.Addr.
type Pool struct {
	cfg     Config
	limiter *limiter
	logf    func(string, ...any)

	mu     sync.Mutex
	idle   []*Conn
	open   int
	closed bool

	stop chan struct{}
	wg   sync.WaitGroup
}

// New creates a pool and starts its health checker.
func New(cfg Config) *Pool {
	if cfg.Dial == nil {
		addr := cfg.Addr
		cfg.Dial = func() (net.Conn, error) { return net.DialTimeout("tcp", addr, 10*time.Second) }
	}
	p := &Pool{cfg: cfg, logf: log.Printf, stop: make(chan struct{})}
	if cfg.MaxConcurrent > 0 {
		p.limiter = &limiter{sem: make(chan struct{}, cfg.MaxConcurrent)}
	}
	if cfg.HealthInterval > 0 {
		p.wg.Add(1)
		go p.healthLoop()
	}
	return p
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	now := time.Now()
	var stale []*Conn
	defer func() {
		for _, c := range stale {
			_ = c.Conn.Close()
		}
	}()

	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return nil, ErrClosed
	}
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if c.usable(now, p.cfg.IdleTimeout) {
			p.mu.Unlock()
			c.markUsed(now)
			return c, nil
		}
		p.open--
		stale = append(stale, c)
	}
	p.open++
	p.mu.Unlock()

	c, err := p.dialCtx(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil, err
	}
	return c, nil
}

type dialResult struct {
	conn net.Conn
	err  error
}

// dialCtx runs the uncancellable Dial and stops waiting when ctx ends.
func (p *Pool) dialCtx(ctx context.Context) (*Conn, error) {
	ch := make(chan dialResult)
	go func() { // HAZ goroutine-blocked-send
		c, err := p.cfg.Dial()
		ch <- dialResult{conn: c, err: err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, r.err
		}
		now := time.Now()
		return &Conn{Conn: r.conn, created: now, lastUsed: now}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dial is the synchronous form used by maintenance code.
func (p *Pool) dial() (*Conn, error) {
	c, err := p.cfg.Dial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	return &Conn{Conn: c, created: now, lastUsed: now}, nil
}

// Put returns c to the pool, or closes it when the pool is full or closed.
func (p *Pool) Put(c *Conn) error {
	c.markUsed(time.Now())
	p.mu.Lock()
	if p.closed || len(p.idle) >= p.cfg.MaxIdle || !c.usable(time.Now(), 0) {
		p.open--
		p.mu.Unlock()
		return c.Conn.Close()
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	return nil
}

// Discard closes c and forgets it.
func (p *Pool) Discard(c *Conn) error {
	c.markBroken()
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
	return c.Conn.Close()
}

// Do runs fn on a pooled connection; a failing fn discards the connection.
func (p *Pool) Do(ctx context.Context, fn func(net.Conn) error) error {
	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return p.Discard(c)
		}
		return p.Put(c)
	}()
	err = fn(c)
	return err
}

// WithConn is Do under the pool's concurrency limit.
func (p *Pool) WithConn(ctx context.Context, fn func(net.Conn) error) error {
	var release func()
	if p.limiter != nil {
		r, err := p.limiter.acquire(ctx)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func

	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	if err := fn(c); err != nil {
		_ = p.Discard(c)
		return err
	}
	return p.Put(c)
}

// Reserve runs fn while holding one slot of the concurrency limit, e.g. to
// keep room for a maintenance task.
func (p *Pool) Reserve(ctx context.Context, fn func() error) error {
	release := func() {}
	if p.limiter != nil {
		r, err := p.limiter.acquire(ctx)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // ok: starts as a no-op and is only replaced by a real func
	return fn()
}

// Stats reports open and idle counts.
func (p *Pool) Stats() (open, idle int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open, len(p.idle)
}

// Close closes idle connections and stops the health checker. Connections
// in use are closed when they are put back.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()

	close(p.stop)
	p.wg.Wait()
	var errs []error
	for _, c := range idle {
		errs = append(errs, c.Conn.Close())
	}
	return errors.Join(errs...)
}

// Warm pre-dials up to n idle connections and returns how many slots it
// tried to fill.
func (p *Pool) Warm(n int) int {
	var (
		wg sync.WaitGroup
		i  int
	)
	for i = 0; i < n && i < p.cfg.MaxIdle; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c, err := p.dial()
			if err != nil {
				p.logf("pool: warm slot %d: %v", i, err)
				return
			}
			p.mu.Lock()
			p.open++
			p.mu.Unlock()
			_ = p.Put(c)
		}()
	}
	wg.Wait()
	return i
}
