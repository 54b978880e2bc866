//go:build go1.21

// This file is also compiled into the appliance image, whose toolchain is
// pinned to the Go 1.21 language version.

package health

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah26/internal/backend"
)

// WarmUp opens and closes one connection to every healthy backend in
// parallel, so that the first real clients don't pay for DNS and the TCP
// handshake. It returns how many backends answered.
func WarmUp(pool *backend.Pool, timeout time.Duration) int {
	var (
		wg      sync.WaitGroup
		ok      atomic.Int32
		started int
	)
	for _, b := range pool.Snapshot() {
		if !b.Healthy() {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			conn, err := b.Dial(timeout)
			if err != nil {
				return
			}
			conn.Close()
			ok.Add(1)
		}()
		started++
	}
	wg.Wait()
	if started == 0 {
		return 0
	}
	return int(ok.Load())
}

// Preconnect opens n idle connections to b in parallel and returns those
// that succeeded.
func Preconnect(b *backend.Backend, n int, timeout time.Duration) []net.Conn {
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := b.Dial(timeout)
			if err != nil {
				return
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	out := conns[:0]
	for _, c := range conns {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}
