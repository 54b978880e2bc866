package fixture

import (
	"errors"
	"sync"
)

type gateway struct {
	mu      sync.RWMutex
	pickers map[string]int
	clients map[string]int
}

// pickerFor takes the read lock itself and gives it back: a lookup, balanced.
func (g *gateway) pickerFor(service string) (int, error) {
	g.mu.RLock()
	p, ok := g.pickers[service]
	g.mu.RUnlock()
	if !ok {
		return 0, errors.New("no picker")
	}
	return p, nil
}

// The balanced call before the lock releases nothing a caller holds: the panic leaves g.mu held.
func (g *gateway) clientFor(service, addr string) (int, error) {
	p, err := g.pickerFor(service)
	if err != nil {
		return 0, err
	}
	g.mu.Lock() // want `g\.mu\.Lock\(\) on line \d+ is not released before the panic on line \d+`
	c, ok := g.clients[addr]
	if !ok {
		if addr == "" {
			panic("gateway: instance has no address")
		}
		c = p
		g.clients[addr] = c
	}
	g.mu.Unlock()
	return c, nil
}

// releaseLocked gives back a lock its caller took: a call of it is a release.
func (g *gateway) releaseLocked() { g.mu.Unlock() }

// Called with g.mu held; the helper releases it on one path, the end of the function on the other.
func (g *gateway) dropLocked(addr string) {
	if _, ok := g.clients[addr]; !ok {
		g.releaseLocked()
		return
	}
	delete(g.clients, addr)
	g.mu.Unlock()
}
