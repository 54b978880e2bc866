package pool

import (
	"context"
	"net"
	"strconv"
)

// dialNoContext runs a dialer that cannot be cancelled and stops waiting for
// it when ctx ends.
func dialNoContext(ctx context.Context, dial func(string) (net.Conn, error), addr string) (net.Conn, error) {
	type result struct {
		nc  net.Conn
		err error
	}
	ch := make(chan result)
	go func() {
		nc, err := dial(addr)
		ch <- result{nc, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.nc, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// lookupNoContext runs a resolver that cannot be cancelled and stops
// waiting for it when ctx ends.
func lookupNoContext(ctx context.Context, lookup func(string) ([]string, error), host string) ([]string, error) {
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result, 1) // the lookup may finish after we gave up: it must not block
	go func() {
		addrs, err := lookup(host)
		ch <- result{addrs, err}
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ExpandAddrs resolves host with lookup (nil means the system resolver)
// and returns one host:port per address, for DialAll.
func ExpandAddrs(ctx context.Context, lookup func(string) ([]string, error), host string, port int) ([]string, error) {
	if lookup == nil {
		lookup = net.LookupHost
	}
	ips, err := lookupNoContext(ctx, lookup, host)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ips))
	for _, ip := range ips {
		out = append(out, net.JoinHostPort(ip, strconv.Itoa(port)))
	}
	return out, nil
}
