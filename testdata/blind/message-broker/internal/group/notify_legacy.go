//go:build go1.21

// This file predates the module's move to Go 1.22 and is still pinned to
// go1.21 semantics by its build constraint: range variables are shared
// across iterations here.

package group

import (
	"sync"
	"time"
)

// broadcast pushes each member its new assignment. The caller holds g.mu.
func (g *Group) broadcast(assignments map[string]Assignment) {
	var wg sync.WaitGroup
	started := 0
	for id, m := range g.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deliver(m, assignments[id]) // HAZ loop-var-capture
		}()
		started++
	}
	wg.Wait()
	if started > 0 {
		g.lastBroadcast = time.Now()
	}
}

// deliver replaces any undelivered assignment with the newer one.
func deliver(m *Member, a Assignment) bool {
	for i := 0; i < 2; i++ {
		select {
		case m.Notify <- a:
			return true
		default:
		}
		select {
		case <-m.Notify:
		default:
		}
	}
	return false
}

// notifyLeaving tells members that a peer left; the loop variables are
// passed as arguments, so each goroutine sees its own values even under
// go1.21 semantics.
func (g *Group) notifyLeaving(leaving string, members []*Member) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	delivered := 0
	for _, m := range members {
		wg.Add(1)
		go func(m *Member) {
			defer wg.Done()
			a, ok := g.Assignment(m.ID)
			if ok && m.ID != leaving && deliver(m, a) {
				mu.Lock()
				delivered++
				mu.Unlock()
			}
		}(m)
	}
	wg.Wait()
	return delivered
}

// retryDeliveries shadows the loop variable with a copy before capturing.
func retryDeliveries(pending map[string]*Member, a Assignment) []string {
	var wg sync.WaitGroup
	failed := make(chan string, len(pending))
	for id, m := range pending {
		id, m := id, m
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !deliver(m, a) {
				failed <- id
			}
		}()
	}
	wg.Wait()
	close(failed)
	var out []string
	for id := range failed {
		out = append(out, id)
	}
	return out
}
