//go:build go1.21

// Connection probing. Still compiled with Go 1.21 language rules (for the
// min builtin and slices) until the team ports it.

package discovery

import (
	"bufio"
	"context"
	"net"
	"time"
)

type probeResult struct {
	addr string
	ok   bool
}

// dialOK reports whether addr accepts a TCP connection within ctx.
func dialOK(ctx context.Context, addr string) bool {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// ProbeAddrs dials every address concurrently and reports which answered.
func (d *Discoverer) ProbeAddrs(ctx context.Context, addrs []string) map[string]bool {
	results := make(chan probeResult, len(addrs))
	for _, a := range addrs {
		go func() { results <- probeResult{a, dialOK(ctx, a)} }() // HAZ loop-var-capture
		d.logger.Printf("discovery: probing %s", a)
	}
	out := make(map[string]bool, len(addrs))
	for range addrs {
		r := <-results
		out[r.addr] = r.ok
	}
	return out
}

// ProbeAddrsLimited is ProbeAddrs with at most limit dials in flight; each
// goroutine gets its own copy of the address.
func (d *Discoverer) ProbeAddrsLimited(ctx context.Context, addrs []string, limit int) map[string]bool {
	results := make(chan probeResult, len(addrs))
	sem := make(chan struct{}, max(1, min(limit, len(addrs))))
	for _, a := range addrs {
		sem <- struct{}{}
		go func(addr string) {
			ok := dialOK(ctx, addr)
			<-sem
			results <- probeResult{addr, ok}
		}(a)
	}
	out := make(map[string]bool, len(addrs))
	for range addrs {
		r := <-results
		out[r.addr] = r.ok
	}
	return out
}

var ping = []byte("PING\r\n")

// Handshake sends a PING on every connection and counts PONG answers; the
// connections are closed when it returns.
func Handshake(conns []net.Conn, timeout time.Duration) int {
	ok := 0
	for _, c := range conns {
		defer func() { c.Close() }() // HAZ defer-in-loop loop-var-capture
		if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
			continue
		}
		if _, err := c.Write(ping); err != nil {
			continue
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil && line == "PONG\r\n" {
			ok++
		}
	}
	return ok
}
