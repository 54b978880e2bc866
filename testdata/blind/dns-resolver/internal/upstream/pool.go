package upstream

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Pool errors.
var (
	ErrPoolClosed    = errors.New("upstream: pool closed")
	ErrPoolExhausted = errors.New("upstream: too many open connections")
)

// Pool keeps TCP connections to one upstream for reuse (RFC 7766 pipelining
// is not used: one query per connection at a time).
type Pool struct {
	addr    string
	timeout time.Duration
	dial    func(ctx context.Context) (net.Conn, error)
	idle    chan net.Conn
	max     int32
	open    atomic.Int32
	closed  atomic.Bool
}

// NewPool returns a pool of at most size connections to addr.
func NewPool(addr string, size int, timeout time.Duration) *Pool {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	return &Pool{
		addr:    addr,
		timeout: timeout,
		dial:    func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) },
		idle:    make(chan net.Conn, size),
		max:     int32(size),
	}
}

// Addr returns the upstream address.
func (p *Pool) Addr() string { return p.addr }

func (p *Pool) dialNew(ctx context.Context) (net.Conn, error) {
	for {
		n := p.open.Load()
		if n >= p.max {
			return nil, ErrPoolExhausted
		}
		if p.open.CompareAndSwap(n, n+1) {
			break
		}
	}
	c, err := p.dial(ctx)
	if err != nil {
		p.open.Add(-1)
		return nil, err
	}
	return c, nil
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
	if p.closed.Load() {
		return nil, ErrPoolClosed
	}
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	return p.dialNew(ctx)
}

// Put returns c to the pool. It never blocks: a full pool closes c.
func (p *Pool) Put(c net.Conn) {
	if p.closed.Load() {
		p.discard(c)
		return
	}
	select {
	case p.idle <- c:
	default:
		p.discard(c)
	}
}

func (p *Pool) discard(c net.Conn) {
	c.Close()
	p.open.Add(-1)
}

// Lease is a connection checked out of a pool.
type Lease struct {
	p      *Pool
	c      net.Conn
	broken bool
}

// Acquire checks a connection out of the pool.
func (p *Pool) Acquire(ctx context.Context) (*Lease, error) {
	c, err := p.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &Lease{p: p, c: c}, nil
}

// Conn returns the leased connection.
func (l *Lease) Conn() net.Conn { return l.c }

// Fail marks the connection as unusable; Release will close it.
func (l *Lease) Fail() { l.broken = true }

// Release hands the connection back, or closes it after Fail.
func (l *Lease) Release() {
	if l.broken {
		l.p.discard(l.c)
		return
	}
	l.p.Put(l.c)
}

// Exchange sends q over a pooled connection.
func (p *Pool) Exchange(ctx context.Context, q *dnsmsg.Msg) (*dnsmsg.Msg, error) {
	l, err := p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	resp, err := exchangeTCP(l.Conn(), q, deadlineFrom(ctx, p.timeout))
	if err != nil {
		l.Fail()
		return nil, err
	}
	return resp, nil
}

// StartKeepAlive periodically exercises one idle connection so that
// middleboxes do not silently drop the pool's connections.
func (p *Pool) StartKeepAlive(interval time.Duration) {
	go p.keepAlive(interval)
}

func (p *Pool) keepAlive(interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		c, err := p.Get(ctx)
		cancel()
		if err != nil {
			continue
		}
		defer p.Put(c) // HAZ defer-in-infinite-loop
		q := dnsmsg.NewQuery(0, ".", dnsmsg.TypeSOA)
		if _, err := exchangeTCP(c, q, time.Now().Add(p.timeout)); err != nil {
			p.discard(c)
		}
	}
}

// Stats returns the number of open and idle connections.
func (p *Pool) Stats() (open, idle int) {
	return int(p.open.Load()), len(p.idle)
}

// Close closes the idle connections; connections in use are closed when
// they are put back.
func (p *Pool) Close() error {
	p.closed.Store(true)
	for {
		select {
		case c := <-p.idle:
			p.discard(c)
		default:
			return nil
		}
	}
}
