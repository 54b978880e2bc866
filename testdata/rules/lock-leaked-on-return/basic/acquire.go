package fixture

import (
	"errors"
	"sync"
)

var errAcqPoolClosed = errors.New("pool closed")

type acqPooledConn struct{}

type acqConnPool struct {
	mu     sync.Mutex
	closed bool
	idle   []*acqPooledConn
}

// Acquire takes a connection, not the lock: it unlocks on its other paths, and the closed path
// returns with p.mu held.
func (p *acqConnPool) Acquire() (*acqPooledConn, error) {
	p.mu.Lock() // want `p\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if p.closed {
		return nil, errAcqPoolClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return &acqPooledConn{}, nil
}

type acqTableLock struct{ mu sync.Mutex }

// An acquire helper that hands the held lock to its caller: no finding.
func (t *acqTableLock) Acquire() { t.mu.Lock() }

func (t *acqTableLock) Release() { t.mu.Unlock() }
