package dbpool

import (
	"context"
	"errors"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Pool.
type Config struct {
	DSN               string
	MaxOpen           int
	MaxIdle           int
	MaxLifetime       time.Duration
	HealthCheckPeriod time.Duration
}

type opStat struct {
	count atomic.Int64
	nanos atomic.Int64
}

// poolStats are lock-free counters; ops is filled at construction and
// read-only afterwards.
type poolStats struct {
	acquires     atomic.Int64
	waitTimeouts atomic.Int64
	opened       atomic.Int64
	closed       atomic.Int64
	ops          map[string]*opStat
}

// observe starts timing op and returns the function that records it; use
// it as defer p.stats.observe(op)().
func (s *poolStats) observe(op string) func() {
	st := s.ops[op]
	if st == nil {
		return func() {}
	}
	start := time.Now()
	return func() {
		st.count.Add(1)
		st.nanos.Add(int64(time.Since(start)))
	}
}

// Pool hands out connections. MaxOpen is enforced with a token channel and
// idle connections wait in a buffered channel, so Release never blocks.
type Pool struct {
	driver Driver
	cfg    Config
	logger *log.Logger

	sem    chan struct{}
	idle   chan *Conn
	closed atomic.Bool
	stats  poolStats

	closeOnce sync.Once
	done      chan struct{}
	wg        sync.WaitGroup
}

// NewPool returns a pool and starts its health checker.
func NewPool(d Driver, cfg Config, logger *log.Logger) (*Pool, error) {
	if cfg.MaxOpen <= 0 {
		return nil, errors.New("dbpool: MaxOpen must be positive")
	}
	if cfg.MaxIdle <= 0 || cfg.MaxIdle > cfg.MaxOpen {
		cfg.MaxIdle = cfg.MaxOpen
	}
	if logger == nil {
		logger = log.Default()
	}
	p := &Pool{
		driver: d, cfg: cfg, logger: logger,
		sem:  make(chan struct{}, cfg.MaxOpen),
		idle: make(chan *Conn, cfg.MaxIdle),
		done: make(chan struct{}),
	}
	p.stats.ops = map[string]*opStat{"exec": {}, "query": {}, "query_int": {}, "tx": {}}
	if cfg.HealthCheckPeriod > 0 {
		p.wg.Add(1)
		go p.healthLoop()
	}
	return p, nil
}

// Conn is a pooled connection.
type Conn struct {
	pool     *Pool
	dc       DriverConn
	created  time.Time
	lastUsed time.Time
	broken   bool
	inTx     bool
}

func (c *Conn) expired(now time.Time) bool {
	return c.pool.cfg.MaxLifetime > 0 && now.Sub(c.created) > c.pool.cfg.MaxLifetime
}

func (c *Conn) closeDriver() {
	if err := c.dc.Close(); err != nil {
		c.pool.logger.Printf("dbpool: closing connection: %v", err)
	}
	c.pool.stats.closed.Add(1)
}

// markBroken remembers that the driver reported a dead connection.
func (c *Conn) markBroken(err error) {
	if errors.Is(err, ErrBadConn) {
		c.broken = true
	}
}

func (p *Pool) releaseSlot() {
	select {
	case <-p.sem:
	default:
		panic("dbpool: slot released twice")
	}
}

// takeIdle returns a live idle connection, discarding expired ones.
func (p *Pool) takeIdle(now time.Time) *Conn {
	for {
		select {
		case c := <-p.idle:
			if c.expired(now) {
				c.closeDriver()
				continue
			}
			return c
		default:
			return nil
		}
	}
}

// Acquire takes a slot, then reuses an idle connection or opens one.
func (p *Pool) Acquire(ctx context.Context) (*Conn, error) {
	if p.closed.Load() {
		return nil, ErrPoolClosed
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		p.stats.waitTimeouts.Add(1)
		return nil, ctx.Err()
	}
	p.stats.acquires.Add(1)
	now := time.Now()
	if c := p.takeIdle(now); c != nil {
		c.lastUsed = now
		return c, nil
	}
	dc, err := p.driver.Open(ctx, p.cfg.DSN)
	if err != nil {
		p.releaseSlot()
		return nil, err
	}
	p.stats.opened.Add(1)
	return &Conn{pool: p, dc: dc, created: now, lastUsed: now}, nil
}

// Release returns c to the pool or closes it; it never blocks.
func (c *Conn) Release() {
	p := c.pool
	if c.broken || c.inTx || p.closed.Load() || c.expired(time.Now()) {
		c.closeDriver()
		p.releaseSlot()
		return
	}
	c.lastUsed = time.Now()
	select {
	case p.idle <- c:
	default:
		c.closeDriver()
	}
	p.releaseSlot()
}

// Exec runs a statement on c.
func (c *Conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	n, err := c.dc.Exec(ctx, query, args...)
	c.markBroken(err)
	return n, err
}

// Query runs a query on c; the rows do not own c.
func (c *Conn) Query(ctx context.Context, query string, args ...any) (DriverRows, error) {
	dr, err := c.dc.Query(ctx, query, args...)
	c.markBroken(err)
	return dr, err
}

// Exec runs a statement on a pooled connection.
func (p *Pool) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	defer p.stats.observe("exec")()
	c, err := p.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Release()
	return c.Exec(ctx, query, args...)
}

// Query runs a query; the returned Rows own the connection until Close.
// On failure the connection is released right here instead of deferred.
func (p *Pool) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	defer p.stats.observe("query")()
	c, err := p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	dr, err := c.Query(ctx, query, args...)
	if err != nil {
		c.Release()
		return nil, err
	}
	return &Rows{dr: dr, c: c, cols: dr.Columns()}, nil
}

// QueryRow runs a query expected to return one row.
func (p *Pool) QueryRow(ctx context.Context, query string, args ...any) *Row {
	rows, err := p.Query(ctx, query, args...)
	return &Row{rows: rows, err: err}
}

// QueryInt runs a query returning a single integer.
func (p *Pool) QueryInt(ctx context.Context, query string, args ...any) (int64, error) {
	defer p.stats.observe("query_int") // HAZ defer-func-result-not-called
	var n int64
	if err := p.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// Ping checks that the database answers.
func (p *Pool) Ping(ctx context.Context) error {
	c, err := p.Acquire(ctx)
	defer c.Release() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return c.dc.Ping(ctx)
}

// PingAll checks every idle connection, dropping the dead ones.
func (p *Pool) PingAll(ctx context.Context) (alive int) {
	n := len(p.idle)
	for i := 0; i < n; i++ {
		c := p.takeIdle(time.Now())
		if c == nil {
			break
		}
		if err := c.dc.Ping(ctx); err != nil {
			c.closeDriver()
			continue
		}
		alive++
		select {
		case p.idle <- c:
		default:
			c.closeDriver()
		}
	}
	return alive
}

func (p *Pool) healthLoop() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.HealthCheckPeriod)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), p.cfg.HealthCheckPeriod/2)
			if alive := p.PingAll(ctx); alive == 0 {
				p.logger.Printf("dbpool: no live idle connections")
			}
			cancel()
		}
	}
}

// Close stops the health checker and closes idle connections. Connections
// in use are closed when released.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		close(p.done)
	})
	p.wg.Wait()
	for {
		select {
		case c := <-p.idle:
			c.closeDriver()
		default:
			return nil
		}
	}
}

// Stats is a snapshot of the pool's counters.
type Stats struct {
	Acquires, WaitTimeouts, Opened, Closed int64
	InUse, Idle                            int
	OpNanos                                map[string]int64
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	s := Stats{
		Acquires: p.stats.acquires.Load(), WaitTimeouts: p.stats.waitTimeouts.Load(),
		Opened: p.stats.opened.Load(), Closed: p.stats.closed.Load(),
		InUse: len(p.sem), Idle: len(p.idle), OpNanos: map[string]int64{},
	}
	for name, st := range p.stats.ops {
		s.OpNanos[name] = st.nanos.Load()
	}
	return s
}
