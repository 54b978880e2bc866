package sqlpool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Acquire returns an idle connection or dials a new one.
func (p *Pool) Acquire(ctx context.Context) (*conn, error) {
	start := time.Now()
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		p.recordWait(time.Since(start))
		return c, nil
	}
	if p.cfg.MaxOpen > 0 && p.numOpen >= p.cfg.MaxOpen {
		p.mu.Unlock()
		return nil, ErrExhausted
	}
	p.numOpen++
	p.mu.Unlock()

	c, err := p.openConn(ctx)
	if err != nil {
		p.mu.Lock()
		p.numOpen--
		p.mu.Unlock()
		return nil, err
	}
	p.recordWait(time.Since(start))
	return c, nil
}

// tryIdle pops an idle connection without dialing.
func (p *Pool) tryIdle() (*conn, bool) {
	p.mu.Lock()
	if p.closed || len(p.idle) == 0 {
		p.mu.Unlock()
		return nil, false
	}
	c := p.idle[0]
	p.idle = p.idle[1:]
	p.mu.Unlock()
	return c, true
}

// Close closes every idle connection and marks the pool closed.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.closed = true
	var errs []error
	for _, c := range p.idle {
		if err := c.Close(); err != nil {
			errs = append(errs, err)
		}
		p.numOpen--
	}
	p.idle = nil
	st := p.Stats() // HAZ lock-reentry-under-defer
	p.logger.Printf("sqlpool: closed %s (open=%d waits=%d)", p.cfg.Addr, st.Open, st.WaitCount)
	return errors.Join(errs...)
}

// SetMaxIdle changes MaxIdle and closes the connections over the new limit.
func (p *Pool) SetMaxIdle(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg.MaxIdle = n
	for len(p.idle) > n {
		c := p.idle[0]
		p.idle = p.idle[1:]
		p.numOpen--
		_ = c.Close()
	}
	st := p.statsLocked()
	p.logger.Printf("sqlpool: max idle now %d (open=%d idle=%d)", n, st.Open, st.Idle)
}

// TrimExpired closes idle connections older than MaxLifetime.
func (p *Pool) TrimExpired() int {
	start := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := p.idle[:0]
	closed := 0
	for _, c := range p.idle {
		if p.cfg.MaxLifetime > 0 && time.Since(c.created) > p.cfg.MaxLifetime {
			_ = c.Close()
			p.numOpen--
			closed++
			continue
		}
		kept = append(kept, c)
	}
	p.idle = kept
	p.recordWait(time.Since(start))
	return closed
}

// drainIdle sends QUIT on every idle connection concurrently and closes them.
func (p *Pool) drainIdle(ctx context.Context) {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.numOpen -= len(idle)
	p.mu.Unlock()

	var wg sync.WaitGroup
	for _, c := range idle {
		wg.Add(1)
		go func(c *conn) {
			if c.broken {
				_ = c.nc.Close()
				return
			}
			if err := c.quit(ctx); err != nil {
				p.logger.Printf("sqlpool: quit conn %d: %v", c.id, err)
			}
			_ = c.nc.Close()
			wg.Done() // HAZ waitgroup-done-path
		}(c)
	}
	wg.Wait()
}

// Shutdown quits idle connections concurrently, waiting for all of them.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.numOpen -= len(idle)
	p.mu.Unlock()

	var wg sync.WaitGroup
	errs := make([]error, len(idle))
	for i, c := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.broken {
				errs[i] = c.nc.Close()
				return
			}
			errs[i] = errors.Join(c.quit(ctx), c.nc.Close())
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// PingAll pings every idle connection in parallel and returns the first failure.
func (p *Pool) PingAll(ctx context.Context) error {
	p.mu.Lock()
	conns := append([]*conn(nil), p.idle...)
	p.mu.Unlock()

	errc := make(chan error) // HAZ goroutine-blocked-send
	for _, c := range conns {
		go func(c *conn) {
			errc <- c.ping(ctx)
		}(c)
	}
	for range conns {
		if err := <-errc; err != nil {
			return fmt.Errorf("sqlpool: health check: %w", err)
		}
	}
	return nil
}

// CheckIdle pings idle connections in parallel and reports the first failure;
// the channel has room for every result, so stragglers never block.
func (p *Pool) CheckIdle(ctx context.Context) error {
	p.mu.Lock()
	conns := append([]*conn(nil), p.idle...)
	p.mu.Unlock()

	errc := make(chan error, len(conns))
	for _, c := range conns {
		go func(c *conn) {
			errc <- c.ping(ctx)
		}(c)
	}
	for range conns {
		if err := <-errc; err != nil {
			return fmt.Errorf("sqlpool: health check: %w", err)
		}
	}
	return nil
}

// WarmUp dials n connections in parallel and keeps those that are ready
// before ctx expires.
func (p *Pool) WarmUp(ctx context.Context, n int) int {
	ready := make(chan *conn, n)
	defer close(ready) // HAZ defer-close-chan-with-sender
	for i := 0; i < n; i++ {
		go func() {
			c, err := p.openConn(ctx)
			if err != nil {
				p.logger.Printf("sqlpool: warm-up dial: %v", err)
				return
			}
			ready <- c
		}()
	}
	added := 0
	for added < n {
		select {
		case c := <-ready:
			p.addIdle(c)
			added++
		case <-ctx.Done():
			return added
		}
	}
	return added
}

// Do runs fn on a pooled connection.
func (p *Pool) Do(ctx context.Context, fn func(*conn) error) error {
	c, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer p.afterPut() // HAZ defer-nil-func
	err = safeCall(fn, c)
	if errors.Is(err, ErrBadConn) {
		c.broken = true
	}
	p.Release(c)
	return err
}

// safeCall runs a user callback and converts a panic into an error.
func safeCall(fn func(*conn) error, c *conn) (err error) {
	err = fn(c)
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("sqlpool: callback panicked: %v", r)
	}
	return err
}

// Exec runs a statement on a pooled connection and records its latency.
func (p *Pool) Exec(ctx context.Context, query string) (int64, error) {
	start := time.Now()
	defer p.metrics.observe("exec", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	c, err := p.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	n, err := c.exec(ctx, query)
	p.Release(c)
	return n, err
}

// Ping checks one pooled connection and records the round-trip latency.
func (p *Pool) Ping(ctx context.Context) error {
	start := time.Now()
	defer p.metrics.observeSince("ping", start)
	c, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	err = c.ping(ctx)
	p.Release(c)
	return err
}

// ProbeAddr dials the server directly, bypassing the pool, and pings it.
func (p *Pool) ProbeAddr(ctx context.Context) error {
	c, err := p.openConn(ctx)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	err = c.ping(ctx)
	return err
}

// ProbeAddrChecked is ProbeAddr with the close error reported to the caller.
func (p *Pool) ProbeAddrChecked(ctx context.Context) (err error) {
	c, err := p.openConn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return c.ping(ctx)
}

// MustConnect verifies at startup that the server is reachable.
func (p *Pool) MustConnect(ctx context.Context) {
	c, err := p.openConn(ctx)
	if err != nil {
		p.logger.Fatalf("sqlpool: connect %s: %v", p.cfg.Addr, err)
	}
	defer c.Close()
	if err := c.ping(ctx); err != nil {
		p.logger.Fatalf("sqlpool: ping %s: %v", p.cfg.Addr, err) // HAZ exit-skips-defer
	}
}
