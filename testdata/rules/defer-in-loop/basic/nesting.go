package fixture

type scope struct {
	names map[string]int
	up    *scope
}

type compiler struct {
	top   *scope
	depth int
}

func (c *compiler) pushScope(names []string) *scope {
	s := &scope{names: map[string]int{}, up: c.top}
	for i, n := range names {
		s.names[n] = i
	}
	c.top = s
	c.depth++
	return s
}

func (c *compiler) popScope() {
	c.top = c.top.up
	c.depth--
}

func (c *compiler) lookup(name string) (int, bool) {
	for s := c.top; s != nil; s = s.up {
		if i, ok := s.names[name]; ok {
			return i, true
		}
	}
	return 0, false
}

// Each clause opens a scope that the value compiled after the clauses needs: the scopes nest on
// purpose and are all left at return.
func (c *compiler) comprehension(clauses [][]string, value string) int {
	for _, names := range clauses {
		c.pushScope(names)
		defer c.popScope()
	}
	i, _ := c.lookup(value)
	return i + c.depth
}

// The same through the returned scope.
func (c *compiler) comprehensionScopes(clauses [][]string, value string) bool {
	for _, names := range clauses {
		s := c.pushScope(names)
		defer c.popScope()
		s.names["_"] = -1
	}
	_, ok := c.lookup(value)
	return ok
}

// Nothing runs inside the scopes after the loop: they only pile up.
func (c *compiler) declareAll(clauses [][]string) {
	for _, names := range clauses {
		c.pushScope(names)
		defer c.popScope() // want `the deferred c\.popScope\(\) runs only when compiler\.declareAll returns`
	}
}

// The scope is entered once before the loop; each iteration only pops.
func (c *compiler) unwind(clauses [][]string, value string) int {
	c.pushScope(nil)
	for range clauses {
		defer c.popScope() // want `the deferred c\.popScope\(\) runs only when compiler\.unwind returns`
	}
	i, _ := c.lookup(value)
	return i
}

// Another compiler's scope is pushed: this one's pops pile up.
func (c *compiler) mirror(other *compiler, clauses [][]string, value string) int {
	for _, names := range clauses {
		other.pushScope(names)
		defer c.popScope() // want `the deferred c\.popScope\(\) runs only when compiler\.mirror returns`
	}
	i, _ := other.lookup(value)
	return i
}
