package peer

import (
	"context"
	"net"
	"sort"
	"sync"
)

// Probe reports whether addr accepts TCP connections.
func Probe(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

// ProbeAll probes peers concurrently and returns the reachable ones, sorted.
func ProbeAll(ctx context.Context, peers []string, probe func(context.Context, string) error) []string {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
		up []string
	)
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if probe(ctx, p) != nil {
				return
			}
			mu.Lock()
			up = append(up, p)
			mu.Unlock()
		}()
		probesStarted.Add(1)
	}
	wg.Wait()
	sort.Strings(up)
	return up
}
