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
