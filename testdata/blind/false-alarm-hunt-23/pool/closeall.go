//go:build go1.21

// This file predates the module's move to Go 1.22 and still carries the
// build constraint it was written under.

package pool

import "sync"

// closeAll closes conns concurrently so that one slow server does not
// serialise shutdown. It returns one error slot per connection.
func closeAll(conns []*idleConn) []error {
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, ic := range conns {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = ic.raw.Close()
		}()
		conns[i] = nil // the pool gives up its reference once the close is under way
	}
	wg.Wait()
	return errs
}
