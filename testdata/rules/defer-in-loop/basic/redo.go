package fixture

type breakpointConn struct{ set map[uint64]bool }

func (c *breakpointConn) clearBreakpoint(addr uint64) error {
	delete(c.set, addr)
	return nil
}

func (c *breakpointConn) setBreakpoint(addr uint64) error {
	c.set[addr] = true
	return nil
}

func (c *breakpointConn) writeMemory(addr uint64, b []byte) error { return nil }

// Every breakpoint in the range is cleared now and set again at the return, after the write:
// holding them all cleared until then is the point.
func patchAround(c *breakpointConn, addrs []uint64, code []byte) error {
	for _, a := range addrs {
		if err := c.clearBreakpoint(a); err != nil {
			return err
		}
		defer c.setBreakpoint(a)
	}
	return c.writeMemory(addrs[0], code)
}

// The deferred call sets a breakpoint the iteration never cleared: one piles up per iteration.
func armAll(c *breakpointConn, addrs []uint64, base uint64) error {
	for _, a := range addrs {
		if err := c.clearBreakpoint(a); err != nil {
			return err
		}
		defer c.setBreakpoint(a + base) // want `the deferred c\.setBreakpoint\(a \+ base\) runs only when armAll returns`
	}
	return nil
}

type listener struct {
	once    bool
	handler func()
}

type emitter struct {
	listeners []listener
}

func (e *emitter) removeHandler(h func()) {
	for i, l := range e.listeners {
		if &l.handler == &h {
			e.listeners = append(e.listeners[:i], e.listeners[i+1:]...)
			return
		}
	}
}

// Once-listeners are removed after the loop over the same list is done: removing them while
// ranging over it would disturb the iteration.
func (e *emitter) emit() int {
	for _, l := range e.listeners {
		if l.once {
			defer e.removeHandler(l.handler)
		}
		l.handler()
	}
	return len(e.listeners)
}

// A removal from another collection than the one ranged over piles up for nothing.
func (e *emitter) emitAll(others []*emitter) {
	for _, o := range others {
		defer o.removeHandler(nil) // want `the deferred o\.removeHandler\(nil\) runs only when emitter\.emitAll returns`
		o.emit()
	}
}
