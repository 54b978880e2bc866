package fixture

import (
	"errors"
	"sync"
)

var errClosed = errors.New("server closed")

type firstListener struct {
	mu   sync.Mutex
	done bool
	err  error
	wg   sync.WaitGroup
}

// accept marks the group done on the first connection.
func (h *firstListener) accept() {
	h.mu.Lock()
	if !h.done {
		h.done = true
		h.wg.Done()
	}
	h.mu.Unlock()
}

// The server's goroutine marks the group done when serving fails before the first connection:
// whichever comes first, accept or the failure, sets the flag and calls Done. No finding.
func serveFirst(h *firstListener, serve func() error) error {
	h.wg.Add(1)
	go func() {
		err := serve()
		if err != errClosed {
			h.mu.Lock()
			if !h.done {
				h.done = true
				h.err = err
				h.wg.Done()
			}
			h.mu.Unlock()
		}
	}()
	h.wg.Wait()
	return h.err
}

// Without the test-and-set, a server closed before its first connection never marks the group.
func serveUnguarded(h *firstListener, serve func() error) error {
	h.wg.Add(1)
	go func() {
		err := serve()
		if err != errClosed {
			h.err = err
			h.wg.Done() // want `h\.wg\.Done\(\) on line \d+ is skipped by the path to the end of the function`
		}
	}()
	h.wg.Wait()
	return h.err
}
