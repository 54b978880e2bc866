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
