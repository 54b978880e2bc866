//go:build go1.21

// This file is shared with the edge agents, which still build with an
// older toolchain; the build constraint keeps it at that language version.

package group

import (
	"sync"
	"sync/atomic"
)

// HeartbeatAll sends heartbeats for many members concurrently, at most
// fanout at a time, and returns one error per member.
func (c *Coordinator) HeartbeatAll(ids []string, fanout int) []error {
	if fanout <= 0 {
		fanout = 8
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = c.Heartbeat(id)
		}()
		if (i+1)%fanout == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return errs
}

// TouchAll marks members alive and returns how many were known.
func (c *Coordinator) TouchAll(ids []string) int {
	var wg sync.WaitGroup
	var known atomic.Int64
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			if c.Heartbeat(id) == nil {
				known.Add(1)
			}
		}(id)
	}
	wg.Wait()
	return int(known.Load())
}

// RejoinAll re-registers members after a coordinator restart.
func (c *Coordinator) RejoinAll(ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		id := id
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Join(id)
		}()
	}
	wg.Wait()
}
