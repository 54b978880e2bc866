//go:build go1.21

// This file is shared with the go1.21 build of the replication agent that
// still runs on the old storage nodes.

package replica

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// pushesStarted counts snapshot pushes, for the agent's metrics page.
var pushesStarted atomic.Int64

// FanOut sends snap to every peer concurrently and returns each peer's
// error (nil on success).
func FanOut(ctx context.Context, peers []string, snap []byte) map[string]error {
	var mu sync.Mutex
	errs := make(map[string]error, len(peers))
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, err := PushSnapshot(ctx, []string{p}, snap)
			mu.Lock()
			errs[p] = err
			mu.Unlock()
		}()
		pushesStarted.Add(1)
	}
	wg.Wait()
	return errs
}

// PingAll dials every peer and returns the ones that answered within d.
func PingAll(ctx context.Context, peers []string, d time.Duration) []string {
	var mu sync.Mutex
	var alive []string
	var wg sync.WaitGroup
	for _, p := range peers {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			dctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			var dialer net.Dialer
			conn, err := dialer.DialContext(dctx, "tcp", p)
			if err != nil {
				return
			}
			conn.Close()
			mu.Lock()
			alive = append(alive, p)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return alive
}
