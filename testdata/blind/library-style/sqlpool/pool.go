// Package sqlpool implements a small line-protocol database client with a
// connection pool, lease tracking and schema migrations.
package sqlpool

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	// ErrClosed is returned by operations on a closed pool.
	ErrClosed = errors.New("sqlpool: pool closed")
	// ErrExhausted is returned when MaxOpen connections are in use.
	ErrExhausted = errors.New("sqlpool: pool exhausted")
	// ErrBadConn reports a connection that must not be reused.
	ErrBadConn = errors.New("sqlpool: bad connection")
)

// Config configures a Pool.
type Config struct {
	Addr        string
	MaxOpen     int
	MaxIdle     int
	MaxLifetime time.Duration
	DialTimeout time.Duration
	Logger      *log.Logger
}

type conn struct {
	id       int64
	nc       net.Conn
	rd       *bufio.Reader
	created  time.Time
	lastUsed time.Time
	broken   bool
}

// Close closes the network connection.
func (c *conn) Close() error {
	if c.broken {
		_ = c.nc.Close()
		return ErrBadConn
	}
	return c.nc.Close()
}

func (c *conn) roundTrip(ctx context.Context, line string) (string, error) {
	if dl, ok := ctx.Deadline(); ok {
		if err := c.nc.SetDeadline(dl); err != nil {
			return "", err
		}
	}
	if _, err := c.nc.Write([]byte(line + "\r\n")); err != nil {
		c.broken = true
		return "", err
	}
	resp, err := c.rd.ReadString('\n')
	if err != nil {
		c.broken = true
		return "", err
	}
	resp = strings.TrimRight(resp, "\r\n")
	if strings.HasPrefix(resp, "-") {
		return "", fmt.Errorf("sqlpool: server error: %s", resp[1:])
	}
	return resp, nil
}

func (c *conn) ping(ctx context.Context) error {
	resp, err := c.roundTrip(ctx, "PING")
	if err != nil {
		return err
	}
	if resp != "+PONG" {
		return ErrBadConn
	}
	return nil
}

func (c *conn) exec(ctx context.Context, query string) (int64, error) {
	resp, err := c.roundTrip(ctx, "EXEC "+query)
	if err != nil {
		return 0, err
	}
	var n int64
	if _, err := fmt.Sscanf(resp, ":%d", &n); err != nil {
		return 0, fmt.Errorf("sqlpool: bad exec reply %q: %w", resp, err)
	}
	return n, nil
}

func (c *conn) quit(ctx context.Context) error {
	_, err := c.roundTrip(ctx, "QUIT")
	return err
}

// Stats is a snapshot of pool counters.
type Stats struct {
	Open      int
	Idle      int
	WaitCount int64
	WaitTime  time.Duration
}

type metrics struct {
	count [8]atomic.Int64
	total [8]atomic.Int64
}

var opIndex = map[string]int{"exec": 0, "query": 1, "ping": 2, "acquire": 3, "migrate": 4}

func (m *metrics) observe(op string, d time.Duration) {
	i := opIndex[op]
	m.count[i].Add(1)
	m.total[i].Add(int64(d))
}

func (m *metrics) observeSince(op string, start time.Time) {
	m.observe(op, time.Since(start))
}

// Pool is a pool of connections to one server.
type Pool struct {
	cfg     Config
	mu      sync.Mutex
	idle    []*conn
	numOpen int
	closed  bool

	statsMu   sync.Mutex
	waitCount int64
	waitTime  time.Duration

	nextID  atomic.Int64
	dial    func(ctx context.Context, addr string) (net.Conn, error)
	logger  *log.Logger
	metrics *metrics
	leases  *sql.DB

	// afterPut is a test hook run after a connection goes back to the pool.
	afterPut func()
}

// New returns a pool for cfg; leases is the bookkeeping database.
func New(cfg Config, leases *sql.DB) *Pool {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.MaxIdle == 0 {
		cfg.MaxIdle = 2
	}
	d := &net.Dialer{Timeout: cfg.DialTimeout}
	return &Pool{
		cfg:     cfg,
		dial:    func(ctx context.Context, addr string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) },
		logger:  cfg.Logger,
		metrics: &metrics{},
		leases:  leases,
	}
}

func (p *Pool) openConn(ctx context.Context) (*conn, error) {
	nc, err := p.dial(ctx, p.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("sqlpool: dial %s: %w", p.cfg.Addr, err)
	}
	now := time.Now()
	return &conn{id: p.nextID.Add(1), nc: nc, rd: bufio.NewReader(nc), created: now, lastUsed: now}, nil
}

// Stats returns a snapshot of the pool counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statsLocked()
}

func (p *Pool) statsLocked() Stats {
	p.statsMu.Lock()
	wc, wt := p.waitCount, p.waitTime
	p.statsMu.Unlock()
	return Stats{Open: p.numOpen, Idle: len(p.idle), WaitCount: wc, WaitTime: wt}
}

func (p *Pool) recordWait(d time.Duration) {
	p.statsMu.Lock()
	p.waitCount++
	p.waitTime += d
	p.statsMu.Unlock()
}

func (p *Pool) addIdle(c *conn) {
	p.mu.Lock()
	p.numOpen++
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Release puts c back into the pool, or closes it when it cannot be reused.
func (p *Pool) Release(c *conn) {
	p.mu.Lock()
	if p.closed || c.broken || len(p.idle) >= p.cfg.MaxIdle {
		p.numOpen--
		p.mu.Unlock()
		_ = c.Close()
		return
	}
	c.lastUsed = time.Now()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}
