package locks

import "sync"

type waiterPool struct {
	mu      sync.Mutex
	avail   *sync.Cond
	max     int
	waiters int
}

// The explicit Unlock balances the Lock just before it (a self-deadlock, which
// lock-reentry-under-defer reports), not the deferred one: no unlock of an unlocked mutex here.
func (p *waiterPool) resize(max int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	grew := max > p.max
	p.max = max
	if grew && p.waiters > 0 {
		p.mu.Lock()
		p.avail.Broadcast()
		p.mu.Unlock()
	}
}

type registry struct {
	mu       sync.RWMutex
	services map[string][]string
}

// The read case defers the write unlock; the write case, which it never reaches, is fine.
func (r *registry) apply(op, service, inst string) int {
	switch op {
	case "count":
		r.mu.RLock()
		defer r.mu.Unlock() // want `r\.mu is read-locked with RLock on line \d+, but the deferred r\.mu\.Unlock\(\)`
		return len(r.services[service])
	case "add":
		r.mu.Lock()
		defer r.mu.Unlock()
		r.services[service] = append(r.services[service], inst)
		return len(r.services[service])
	}
	return 0
}
