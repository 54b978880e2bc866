package pool

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed pool.
var ErrClosed = errors.New("pool: closed")

// Config configures a Pool.
type Config struct {
	Addr string
	// Dial opens connections; nil means TCP.
	Dial DialFunc
	// LegacyDial is used instead of Dial for dialers that cannot be
	// cancelled (old TLS wrappers); the pool stops waiting when ctx ends.
	LegacyDial  func(addr string) (net.Conn, error)
	MaxOpen     int // 0 means unlimited
	MaxIdle     int
	IdleTimeout time.Duration // 0 disables the idle cleaner
	DialTimeout time.Duration
	Logger      *log.Logger
}

// Pool keeps idle connections for reuse and limits the number of open ones.
type Pool struct {
	cfg Config

	mu      sync.Mutex // guards the fields below
	idle    []*Conn
	open    int
	waiters []chan *Conn
	closed  bool

	done chan struct{} // closed by Close to stop the cleaner
	wg   sync.WaitGroup

	counters counters
}

// New validates cfg and starts the idle cleaner if IdleTimeout is set.
func New(cfg Config) (*Pool, error) {
	if cfg.Addr == "" {
		return nil, errors.New("pool: empty address")
	}
	if cfg.LegacyDial != nil {
		legacy := cfg.LegacyDial
		cfg.Dial = func(ctx context.Context, addr string) (net.Conn, error) {
			return dialNoContext(ctx, legacy, addr)
		}
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 5 * time.Second
	}
	if cfg.MaxIdle <= 0 {
		cfg.MaxIdle = 4
	}
	p := &Pool{cfg: cfg, done: make(chan struct{})}
	if cfg.IdleTimeout > 0 {
		p.wg.Add(1)
		go p.cleaner(cfg.IdleTimeout / 2)
	}
	return p, nil
}

// Get returns an idle connection, dials a new one, or waits for one to be
// returned when MaxOpen connections are already open. The pool mutex is
// never held while dialing or waiting.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		p.counters.reuses.Add(1)
		return c, nil
	}
	if p.cfg.MaxOpen > 0 && p.open >= p.cfg.MaxOpen {
		req := make(chan *Conn, 1)
		p.waiters = append(p.waiters, req)
		p.mu.Unlock()
		return p.wait(ctx, req)
	}
	p.open++
	p.mu.Unlock()

	c, err := p.dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil, err
	}
	return c, nil
}

// wait blocks until Put hands a connection to req or ctx ends.
func (p *Pool) wait(ctx context.Context, req chan *Conn) (*Conn, error) {
	p.counters.waits.Add(1)
	select {
	case c, ok := <-req:
		if !ok {
			return nil, ErrClosed
		}
		return c, nil
	case <-ctx.Done():
		p.mu.Lock()
		p.removeWaiterLocked(req)
		p.mu.Unlock()
		// Put may have handed us a connection just before we gave up.
		select {
		case c, ok := <-req:
			if ok {
				p.Put(c)
			}
		default:
		}
		p.counters.timeouts.Add(1)
		return nil, ctx.Err()
	}
}

func (p *Pool) removeWaiterLocked(req chan *Conn) {
	for i, w := range p.waiters {
		if w == req {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return
		}
	}
}

// Put returns c to the pool. Broken connections, and connections returned
// after Close, are closed instead. A waiting Get gets c directly.
func (p *Pool) Put(c *Conn) {
	if c == nil {
		return
	}
	p.mu.Lock()
	if c.broken || p.closed {
		p.open--
		p.mu.Unlock()
		p.counters.discards.Add(1)
		_ = c.Close()
		return
	}
	c.lastUsed = time.Now()
	if len(p.waiters) > 0 {
		req := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.mu.Unlock()
		req <- c // cap 1 and popped under the lock: exactly one send, never blocks
		return
	}
	if len(p.idle) >= p.cfg.MaxIdle {
		p.open--
		p.mu.Unlock()
		p.counters.discards.Add(1)
		_ = c.Close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

func (p *Pool) dial(ctx context.Context) (*Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DialTimeout)
	defer cancel()
	c, err := Dial(ctx, p.cfg.Dial, p.cfg.Addr)
	if err != nil {
		return nil, err
	}
	p.counters.dials.Add(1)
	return c, nil
}

// Do runs fn on a pooled connection and returns the connection afterwards.
func (p *Pool) Do(ctx context.Context, fn func(*Conn) error) error {
	c, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer p.Put(c)
	return fn(c)
}

// Close stops the cleaner, wakes waiters and closes the idle connections.
// Connections in use are closed when they are returned.
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
	waiters := p.waiters
	p.waiters = nil
	p.mu.Unlock()

	defer func() { p.Stats().Log(p.cfg.Logger, "close") }()
	for _, req := range waiters {
		close(req)
	}
	close(p.done)
	p.wg.Wait()

	var errs []error
	for _, c := range idle {
		if err := c.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// cleaner closes idle connections that outlived IdleTimeout until Close.
func (p *Pool) cleaner(interval time.Duration) {
	defer p.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			p.reapIdle(now)
		}
	}
}

func (p *Pool) reapIdle(now time.Time) {
	defer p.trace("reap")()
	p.mu.Lock()
	stale := p.takeStaleLocked(now)
	p.open -= len(stale)
	p.mu.Unlock()
	for _, c := range stale {
		p.counters.discards.Add(1)
		_ = c.Close()
	}
}

// takeStaleLocked removes and returns the expired idle connections.
// The caller holds p.mu.
func (p *Pool) takeStaleLocked(now time.Time) []*Conn {
	var stale []*Conn
	kept := p.idle[:0]
	for _, c := range p.idle {
		if c.idleExpired(now, p.cfg.IdleTimeout) {
			stale = append(stale, c)
			continue
		}
		kept = append(kept, c)
	}
	for i := len(kept); i < len(p.idle); i++ {
		p.idle[i] = nil
	}
	p.idle = kept
	return stale
}

// Len returns the number of idle connections.
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// waiting returns the number of Get calls queued for a connection.
func (p *Pool) waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiters)
}

// SetMaxIdle changes how many idle connections are kept and closes the excess.
func (p *Pool) SetMaxIdle(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n < 1 {
		n = 1
	}
	p.cfg.MaxIdle = n
	if excess := p.Len() - n; excess > 0 { // HAZ lock-reentry-under-defer
		for _, c := range p.idle[:excess] {
			_ = c.Close()
		}
		p.idle = append(p.idle[:0], p.idle[excess:]...)
		p.open -= excess
	}
}

// SetIdleTimeout changes the idle timeout and applies it right away.
func (p *Pool) SetIdleTimeout(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg.IdleTimeout = d
	stale := p.takeStaleLocked(time.Now())
	p.open -= len(stale)
	for _, c := range stale {
		// net.Conn.Close does not wait for the peer, so closing under the
		// lock keeps the open count and the sockets in step.
		_ = c.Close()
	}
}

// TryGet returns an idle connection without dialing, or nil if none is idle.
func (p *Pool) TryGet() (*Conn, error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return nil, ErrClosed
	}
	n := len(p.idle)
	if n == 0 {
		p.mu.Unlock()
		return nil, nil
	}
	c := p.idle[n-1]
	p.idle = p.idle[:n-1]
	p.mu.Unlock()
	p.counters.reuses.Add(1)
	return c, nil
}

// Warm dials n connections ahead of traffic and parks them as idle.
func (p *Pool) Warm(ctx context.Context, n int) error {
	defer p.trace("warm") // HAZ defer-func-result-not-called
	conns := make([]*Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := p.dial(ctx)
		if err != nil {
			for _, c := range conns {
				_ = c.Close()
			}
			return err
		}
		conns = append(conns, c)
	}
	p.mu.Lock()
	p.open += len(conns)
	p.mu.Unlock()
	for _, c := range conns {
		p.Put(c)
	}
	return nil
}

// Drain closes every idle connection, for example after a failover, and
// logs the pool statistics.
func (p *Pool) Drain() int {
	defer p.Stats().Log(p.cfg.Logger, "drain") // HAZ defer-call-chain
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()
	for _, c := range idle {
		p.counters.discards.Add(1)
		_ = c.Close()
	}
	return len(idle)
}

// Probe dials a fresh connection and pings the backend, retrying once on a
// new connection because the first one may land on a half-open socket.
func (p *Pool) Probe(ctx context.Context) error {
	c, err := p.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close() // HAZ defer-eager-evaluation
	if err = c.Ping(ctx); err != nil {
		p.logf("pool %s: probe failed (%v), retrying", p.cfg.Addr, err)
		c, err = p.dial(ctx)
		if err != nil {
			return err
		}
		err = c.Ping(ctx)
	}
	return err
}

// trace logs the start of op and returns a func that logs its duration.
func (p *Pool) trace(op string) func() {
	start := time.Now()
	p.logf("pool %s: %s start", p.cfg.Addr, op)
	return func() {
		p.logf("pool %s: %s done in %s", p.cfg.Addr, op, time.Since(start))
	}
}

func (p *Pool) logf(format string, args ...any) {
	if p.cfg.Logger != nil {
		p.cfg.Logger.Printf(format, args...)
	}
}
