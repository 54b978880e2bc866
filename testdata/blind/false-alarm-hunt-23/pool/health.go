package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// pingOne pings c, giving up when ctx ends. Some Conn implementations ignore
// the context passed to Ping, so the call runs in its own goroutine.
func pingOne(ctx context.Context, c Conn) error {
	errc := make(chan error)
	go func() { errc <- c.Ping(context.WithoutCancel(ctx)) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dialTimeout dials with the pool's dial timeout. The result channel has
// room for the one result, and a connection that arrives after the timeout
// is closed by a reaper goroutine.
func (p *Pool) dialTimeout(ctx context.Context) (Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, p.dialWait)
	defer cancel()
	type result struct {
		c   Conn
		err error
	}
	res := make(chan result, 1)
	go func() {
		c, err := p.dial(ctx)
		res <- result{c: c, err: err}
	}()
	select {
	case r := <-res:
		if r.err == nil {
			p.dialed.Add(1)
		}
		return r.c, r.err
	case <-ctx.Done():
		go func() {
			if r := <-res; r.c != nil {
				_ = r.c.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// pingIdle health checks all idle connections concurrently and closes the
// ones that fail. Connections are taken off the idle list while checked.
func (p *Pool) pingIdle(ctx context.Context, timeout time.Duration) (closed int) {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()

	healthy := make([]bool, len(idle))
	var wg sync.WaitGroup
	for i, ic := range idle {
		wg.Add(1)
		go func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			if err := pingOne(ctx, ic.raw); err != nil {
				p.logf("pool: idle connection failed health check: %v", err)
				return
			}
			healthy[i] = true
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()

	var bad []*idleConn
	p.mu.Lock()
	for i, ic := range idle {
		if healthy[i] && !p.closed {
			p.idle = append(p.idle, ic)
			continue
		}
		bad = append(bad, ic)
	}
	p.numOpen -= len(bad)
	p.mu.Unlock()
	for _, ic := range bad {
		p.closeQuietly(ic)
	}
	return len(bad)
}

// CheckIdle pings idle connections one at a time, each with its own timeout.
// The per-connection context is scoped to a function literal so that its
// cancel runs at the end of every iteration.
func (p *Pool) CheckIdle(ctx context.Context, timeout time.Duration) []error {
	p.mu.Lock()
	idle := append([]*idleConn(nil), p.idle...)
	p.mu.Unlock()
	var errs []error
	for _, ic := range idle {
		err := func() error {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return ic.raw.Ping(ctx)
		}()
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Prefill dials n connections concurrently and parks them as idle. A panic
// in a dialer must not take the caller down.
func (p *Pool) Prefill(ctx context.Context, n int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pool: prefill: dialer panicked: %v", r)
		}
	}()
	conns := make([]Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			conns[i], errs[i] = p.dialTimeout(ctx)
		}()
	}
	wg.Wait()
	for _, c := range conns {
		if c != nil {
			errs = append(errs, p.putIdle(c))
		}
	}
	return errors.Join(errs...)
}

// Refresh replaces every idle connection by a freshly dialled one. Dialer
// panics become errors both here and in the dialling goroutines.
func (p *Pool) Refresh(ctx context.Context) (err error) {
	defer recoverTo(&err)
	p.mu.Lock()
	old := p.idle
	p.idle = nil
	p.numOpen -= len(old)
	p.mu.Unlock()

	fresh := make([]Conn, len(old))
	errs := make([]error, len(old))
	var wg sync.WaitGroup
	for i := range old {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverTo(&errs[i])
			fresh[i], errs[i] = p.dialTimeout(ctx)
		}()
	}
	wg.Wait()
	errs = append(errs, closeAll(old)...)
	for _, c := range fresh {
		if c != nil {
			errs = append(errs, p.putIdle(c))
		}
	}
	return errors.Join(errs...)
}

// recoverTo stores a recovered panic in *errp. Defer it directly.
func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("pool: recovered panic: %v", r)
	}
}
