//go:build go1.21

package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// DialAll opens one connection per address concurrently, starting a dial
// every stagger so that a restarting cluster is not hit by a thundering
// herd. On any failure the connections already opened are closed.
func DialAll(ctx context.Context, dial DialFunc, addrs []string, stagger time.Duration) ([]net.Conn, error) {
	if dial == nil {
		dial = tcpDial
	}
	conns := make([]net.Conn, len(addrs))
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			conns[i], errs[i] = dial(ctx, addr)
		}()
		if stagger > 0 && i < len(addrs)-1 {
			time.Sleep(stagger)
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		_ = closeAll(conns)
		return nil, err
	}
	return conns, nil
}

// closeAll closes conns concurrently; closing a TLS connection may wait
// for the close_notify alert to be written.
func closeAll(conns []net.Conn) error {
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, nc := range conns {
		if nc == nil {
			continue
		}
		wg.Add(1)
		go func(i int, nc net.Conn) {
			defer wg.Done()
			errs[i] = nc.Close()
		}(i, nc)
	}
	wg.Wait()
	return errors.Join(errs...)
}
