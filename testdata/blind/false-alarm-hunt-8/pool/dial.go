package pool

import (
	"context"
	"errors"
	"net"
)

// dialTimeout dials with the configured timeout. The dial runs in its own
// goroutine so that a DialFunc that ignores ctx cannot hold the caller past
// the deadline.
func (p *Pool) dialTimeout(ctx context.Context) (net.Conn, error) {
	if p.opts.DialTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.opts.DialTimeout)
		defer cancel()
	}
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result)
	go func() {
		c, err := p.dial(ctx)
		ch <- result{c, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Probe reports whether dial succeeds before ctx ends. The result channel
// has room for the one answer, so the probing goroutine finishes even when
// Probe has already returned on timeout.
func Probe(ctx context.Context, dial DialFunc) error {
	errc := make(chan error, 1)
	go func() {
		c, err := dial(ctx)
		if err == nil {
			err = c.Close()
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// DialFirst races dials to every address and returns the first connection
// that succeeds. Losing dialers see the cancelled context in their select
// and close their connection instead of sending it.
func DialFirst(ctx context.Context, d *net.Dialer, addrs []string) (net.Conn, error) {
	if len(addrs) == 0 {
		return nil, errors.New("pool: no addresses")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result)
	for _, addr := range addrs {
		go func() {
			c, err := d.DialContext(ctx, "tcp", addr)
			select {
			case ch <- result{c, err}:
			case <-ctx.Done():
				if c != nil {
					c.Close()
				}
			}
		}()
	}
	errs := make([]error, 0, len(addrs))
	for range addrs {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.c, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}
