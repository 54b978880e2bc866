package fixture

import (
	"errors"
	"sync"
)

var errHandleClosed = errors.New("handle closed")

type rwHandle struct {
	mu     sync.Mutex
	closed bool
	data   []byte
}

func (h *rwHandle) fetch(b []byte, off int) (int, error) {
	if off > len(h.data) {
		return 0, errHandleClosed
	}
	return copy(b, h.data[off:]), nil
}

// readAt runs with h.mu held; with release it lets go of the lock around the slow read and takes
// it back before returning, as its caller expects. No finding.
func (h *rwHandle) readAt(b []byte, off int, release bool) (int, error) {
	if h.closed {
		return 0, errHandleClosed
	}
	if release {
		h.mu.Unlock()
	}
	n, err := h.fetch(b, off)
	if release {
		h.mu.Lock()
	}
	return n, err
}

// The lock is taken back under another test than the one that let go of it: with relock set and
// release not, the function returns holding a second lock.
func (h *rwHandle) readAtMixed(b []byte, off int, release, relock bool) (int, error) {
	if release {
		h.mu.Unlock()
	}
	n, err := h.fetch(b, off)
	if relock {
		h.mu.Lock() // want `h\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	}
	return n, err
}

// The test's variable changes between the two ifs: they need not go the same way.
func (h *rwHandle) readAtChanged(b []byte, off int, release bool) (int, error) {
	if release {
		h.mu.Unlock()
	}
	n, err := h.fetch(b, off)
	release = err == nil
	if release {
		h.mu.Lock() // want `h\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	}
	return n, err
}
