//go:build go1.22

package health

import (
	"context"
	"sync"
)

// RefreshSome re-probes the given targets concurrently and waits for all.
// This file is built only by Go 1.22 or later, so each iteration has its
// own t.
func (m *Monitor) RefreshSome(ctx context.Context, targets []string) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	up := 0
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := m.ProbeCtx(ctx, t); err == nil && r.Up() {
				mu.Lock()
				up++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return up
}
