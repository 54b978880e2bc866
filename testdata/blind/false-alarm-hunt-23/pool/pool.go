// Package pool is a small connection pool for fahdb connections used outside
// database/sql (the proxy keeps one per upstream). Capacity is a semaphore:
// a Lease holds one slot from Acquire until Release.
package pool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is the part of a connection the pool needs.
type Conn interface {
	Ping(ctx context.Context) error
	Close() error
}

// Dialer opens a new connection.
type Dialer func(ctx context.Context) (Conn, error)

// Options configure a Pool.
type Options struct {
	MaxOpen     int
	MaxIdle     int
	MaxIdleTime time.Duration
	DialTimeout time.Duration
	Logf        func(format string, args ...any)
}

// ErrClosed is returned by a closed pool.
var ErrClosed = errors.New("pool: closed")

// Pool hands out leased connections.
type Pool struct {
	dial     Dialer
	sem      chan struct{}
	logf     func(string, ...any)
	dialWait time.Duration

	mu          sync.Mutex // guards the fields below
	idle        []*idleConn
	numOpen     int
	maxIdle     int
	maxIdleTime time.Duration
	closed      bool

	acquired atomic.Int64
	dialed   atomic.Int64
}

type idleConn struct {
	raw   Conn
	since time.Time
}

// New returns a pool that dials with dial.
func New(dial Dialer, opts Options) *Pool {
	if opts.MaxOpen <= 0 {
		opts.MaxOpen = 16
	}
	if opts.MaxIdle <= 0 || opts.MaxIdle > opts.MaxOpen {
		opts.MaxIdle = opts.MaxOpen
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 5 * time.Second
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Pool{
		dial:        dial,
		sem:         make(chan struct{}, opts.MaxOpen),
		logf:        logf,
		dialWait:    opts.DialTimeout,
		maxIdle:     opts.MaxIdle,
		maxIdleTime: opts.MaxIdleTime,
	}
}

// Acquire leases a connection, reusing an idle one when possible. It blocks
// while MaxOpen leases are out, until ctx ends.
func (p *Pool) Acquire(ctx context.Context) (*Lease, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ic, err := p.takeIdle()
	if err != nil {
		p.unreserve()
		return nil, err
	}
	if ic == nil {
		raw, err := p.dialTimeout(ctx)
		if err != nil {
			p.unreserve()
			return nil, err
		}
		if err := p.registerOpen(raw); err != nil {
			p.unreserve()
			return nil, err
		}
		ic = &idleConn{raw: raw}
	}
	p.acquired.Add(1)
	return &Lease{p: p, ic: ic}, nil
}

// takeIdle pops the most recently used idle connection, or returns nil.
func (p *Pool) takeIdle() (*idleConn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	n := len(p.idle)
	if n == 0 {
		p.mu.Unlock()
		return nil, nil
	}
	ic := p.idle[n-1]
	p.idle = p.idle[:n-1]
	p.mu.Unlock()
	return ic, nil
}

// unreserve gives back the semaphore slot taken by Acquire. It never blocks:
// a slot that is not held is a bug.
func (p *Pool) unreserve() {
	select {
	case <-p.sem:
	default:
		panic("pool: unreserve without a reserved slot")
	}
}

func (p *Pool) registerOpen(raw Conn) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.Join(ErrClosed, raw.Close())
	}
	p.numOpen++
	return nil
}

// release returns a leased connection: back to the idle list when it is
// reusable and there is room, closed otherwise.
func (p *Pool) release(ic *idleConn, reusable bool) error {
	defer p.unreserve()
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed || !reusable {
		p.numOpen--
		return ic.raw.Close()
	}
	if len(p.idle) >= p.maxIdle {
		p.numOpen--
		p.mu.Unlock()
		return ic.raw.Close()
	}
	ic.since = time.Now()
	p.idle = append(p.idle, ic)
	p.mu.Unlock()
	return nil
}

// putIdle adds a freshly dialled connection to the idle list.
func (p *Pool) putIdle(raw Conn) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errors.Join(ErrClosed, raw.Close())
	}
	p.numOpen++
	p.idle = append(p.idle, &idleConn{raw: raw, since: time.Now()})
	p.mu.Unlock()
	return nil
}

// Close closes the idle connections and makes later Acquire calls fail.
// Leased connections are closed when they are released.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.numOpen -= len(idle)
	p.mu.Unlock()
	return errors.Join(closeAll(idle)...)
}

// IdleCount reports the number of idle connections.
func (p *Pool) IdleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// SetMaxIdle changes the idle limit, closing the oldest idle connections
// beyond it.
func (p *Pool) SetMaxIdle(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.maxIdle = n
	for p.IdleCount() > n { // HAZ lock-reentry-under-defer
		ic := p.idle[0]
		p.idle = p.idle[1:]
		p.numOpen--
		go p.closeQuietly(ic)
	}
}

// SetMaxIdleTime changes how long a connection may sit idle.
func (p *Pool) SetMaxIdleTime(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.maxIdleTime = d
}

func (p *Pool) closeQuietly(ic *idleConn) {
	if err := ic.raw.Close(); err != nil {
		p.logf("pool: closing idle connection: %v", err)
	}
}

// Stats is a snapshot of the pool counters.
type Stats struct {
	Open, Idle, InUse, MaxOpen int
	Acquired, Dialed           int64
}

// Stats returns the current counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statsLocked()
}

// statsLocked requires p.mu.
func (p *Pool) statsLocked() Stats {
	return Stats{
		Open:     p.numOpen,
		Idle:     len(p.idle),
		InUse:    len(p.sem),
		MaxOpen:  cap(p.sem),
		Acquired: p.acquired.Load(),
		Dialed:   p.dialed.Load(),
	}
}

// Report logs s through logf.
func (s Stats) Report(logf func(string, ...any)) {
	if logf == nil {
		return
	}
	logf("pool: open=%d idle=%d in-use=%d/%d acquired=%d dialed=%d",
		s.Open, s.Idle, s.InUse, s.MaxOpen, s.Acquired, s.Dialed)
}

// Drain waits until every lease has been released (or ctx ends), closes the
// pool and logs the final counters.
func (p *Pool) Drain(ctx context.Context) error {
	defer p.Stats().Report(p.logf) // HAZ defer-call-chain
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for len(p.sem) > 0 {
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), p.Close())
		case <-t.C:
		}
	}
	return p.Close()
}
