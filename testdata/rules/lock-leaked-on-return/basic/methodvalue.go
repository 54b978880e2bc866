package fixture

import "sync"

type freeList struct {
	mu    sync.Mutex
	free  [][]byte
	alloc func() []byte
}

// The lock is taken through a method value: the early return leaves it held.
func (p *freeList) get() []byte {
	lock, unlock := p.mu.Lock, p.mu.Unlock
	lock() // want `p\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if len(p.free) == 0 {
		return p.alloc()
	}
	b := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	unlock()
	return b
}

// Released on both paths through the same method values.
func (p *freeList) put(b []byte) bool {
	lock, unlock := p.mu.Lock, p.mu.Unlock
	lock()
	if len(p.free) >= 64 {
		unlock()
		return false
	}
	p.free = append(p.free, b)
	unlock()
	return true
}
