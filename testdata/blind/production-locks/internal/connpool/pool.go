// Package connpool implements the upstream connection pools used by the L4
// forwarding path of the proxy.
package connpool

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

var (
	ErrClosed    = errors.New("connpool: closed")
	ErrExhausted = errors.New("connpool: too many open connections")
)

// Conn is a pooled connection.
type Conn struct {
	net.Conn
	id       uint64
	lastUsed time.Time
	broken   atomic.Bool
}

// MarkBroken tells the pool not to reuse c.
func (c *Conn) MarkBroken() { c.broken.Store(true) }

// ID returns the pool-local connection id.
func (c *Conn) ID() uint64 { return c.id }

type Config struct {
	Addr        string
	MaxIdle     int
	MaxOpen     int
	IdleTimeout time.Duration
	DialTimeout time.Duration
}

type poolStats struct {
	hits, misses, dials atomic.Int64
}

// Pool keeps idle connections on a LIFO stack. Returned connections are
// handed to a janitor goroutine that health-checks them before reuse.
type Pool struct {
	cfg    Config
	log    *slog.Logger
	dialer net.Dialer

	mu     sync.Mutex
	idle   []*Conn
	open   int
	closed bool
	nextID uint64

	returns chan *Conn // unbuffered, drained by janitor
	done    chan struct{}
	stats   poolStats
}

func New(cfg Config, log *slog.Logger) *Pool {
	p := &Pool{
		cfg:     cfg,
		log:     log,
		returns: make(chan *Conn),
		done:    make(chan struct{}),
	}
	p.dialer.Timeout = cfg.DialTimeout
	go p.janitor()
	return p
}

func (p *Pool) janitor() {
	for {
		select {
		case <-p.done:
			return
		case c := <-p.returns:
			if c.broken.Load() {
				p.discard(c)
				continue
			}
			c.lastUsed = time.Now()
			p.mu.Lock()
			if p.closed || len(p.idle) >= p.cfg.MaxIdle {
				p.mu.Unlock()
				p.discard(c)
				continue
			}
			p.idle = append(p.idle, c)
			p.mu.Unlock()
		}
	}
}

func (p *Pool) discard(c *Conn) {
	if err := c.Close(); err != nil {
		p.log.Debug("close pooled conn", "id", c.id, "err", err)
	}
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if p.cfg.IdleTimeout > 0 && time.Since(c.lastUsed) > p.cfg.IdleTimeout {
			p.open--
			_ = c.Close()
			continue
		}
		p.mu.Unlock()
		p.stats.hits.Add(1)
		return c, nil
	}
	switch {
	case p.cfg.MaxOpen > 0 && p.open >= p.cfg.MaxOpen:
		p.stats.misses.Add(1)
		return nil, fmt.Errorf("%w (%d/%d)", ErrExhausted, p.open, p.cfg.MaxOpen)
	case ctx.Err() != nil:
		p.mu.Unlock()
		return nil, ctx.Err()
	}
	p.open++
	p.nextID++
	id := p.nextID
	p.mu.Unlock()

	p.stats.dials.Add(1)
	nc, err := p.dialer.DialContext(ctx, "tcp", p.cfg.Addr)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil, fmt.Errorf("connpool: dial %s: %w", p.cfg.Addr, err)
	}
	return &Conn{Conn: nc, id: id, lastUsed: time.Now()}, nil
}

// release hands c back to the janitor for health checking.
func (p *Pool) release(c *Conn) {
	p.returns <- c
}

// WithConn runs fn with a pooled connection and returns it afterwards.
func (p *Pool) WithConn(ctx context.Context, fn func(*Conn) error) error {
	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer p.release(c) // HAZ defer-blocking-call
	if err := fn(c); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && !ne.Timeout() {
			c.MarkBroken()
		}
		return fmt.Errorf("conn %d: %w", c.id, err)
	}
	return nil
}

// Prune closes idle connections past IdleTimeout. It runs from the metrics
// ticker and must never stall it, so it skips a round when the pool is busy.
func (p *Pool) Prune() int {
	if !p.mu.TryLock() {
		return 0 // ok: the lock was not acquired on this path
	}
	defer p.mu.Unlock()
	kept := p.idle[:0]
	pruned := 0
	for _, c := range p.idle {
		if time.Since(c.lastUsed) > p.cfg.IdleTimeout {
			_ = c.Close()
			p.open--
			pruned++
			continue
		}
		kept = append(kept, c)
	}
	p.idle = kept
	if pruned > 0 {
		p.log.Debug("pruned idle connections", "count", pruned, "remaining", len(kept))
	}
	return pruned
}

// Close closes all idle connections and stops the janitor.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.closed = true
	close(p.done)
	var errs []error
	for _, c := range p.idle {
		errs = append(errs, c.Close())
	}
	p.idle = nil
	return errors.Join(errs...)
}

// ChanPool is the lock-free variant used for short-lived RPC connections.
type ChanPool struct {
	addr   string
	dialer net.Dialer
	idle   chan net.Conn
	open   atomic.Int32
	log    *slog.Logger
}

func NewChanPool(addr string, maxIdle int, log *slog.Logger) *ChanPool {
	return &ChanPool{addr: addr, idle: make(chan net.Conn, maxIdle), log: log}
}

func (p *ChanPool) get(ctx context.Context) (net.Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	c, err := p.dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, err
	}
	p.open.Add(1)
	return c, nil
}

func (p *ChanPool) put(c net.Conn) {
	select {
	case p.idle <- c:
	default:
		p.open.Add(-1)
		if err := c.Close(); err != nil {
			p.log.Debug("close surplus conn", "addr", p.addr, "err", err)
		}
	}
}

// Do runs fn with a pooled connection; failed connections are not reused.
func (p *ChanPool) Do(ctx context.Context, fn func(net.Conn) error) (err error) {
	c, err := p.get(ctx)
	if err != nil {
		return err
	}
	defer func() { // ok: put never blocks (select with default), Close is plain
		if err != nil {
			p.open.Add(-1)
			_ = c.Close()
			return
		}
		p.put(c)
	}()
	return fn(c)
}
