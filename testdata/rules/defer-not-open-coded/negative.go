// Functions whose defers are open-coded (or that have none).
package fixture

func g() {}

func eight() {
	defer g()
	defer g()
	defer g()
	defer g()
	defer g()
	defer g()
	defer g()
	defer g()
}

func fiveTimesThree(x int) int {
	defer g()
	defer g()
	defer g()
	if x > 1 {
		return 1
	}
	if x > 2 {
		return 2
	}
	if x > 3 {
		return 3
	}
	if x > 4 {
		return 4
	}
	return 5
}

// The standard fix: the loop body in a function literal with its own (open-coded) defer.
func litInLoop(n int) {
	defer g()
	for i := 0; i < n; i++ {
		func() {
			defer g()
		}()
	}
}

// A loop without defers next to a defer.
func loopNoDefer(xs []int) int {
	defer g()
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func noDefers(x int) int {
	if x > 0 {
		return 1
	}
	return 0
}

// Returns inside a function literal belong to the literal.
func returnsInLiteral() {
	defer g()
	defer g()
	defer g()
	check := func(x int) int {
		if x > 0 {
			return 1
		}
		if x > 1 {
			return 2
		}
		if x > 2 {
			return 3
		}
		if x > 3 {
			return 4
		}
		if x > 4 {
			return 5
		}
		return 6
	}
	_ = check
}

func oneDeferManyReturns(x int) int {
	defer g()
	switch x {
	case 1:
		return 1
	case 2:
		return 2
	case 3:
		return 3
	}
	return 0
}

// A loop inside a deferred function literal.
func loopInDeferred(xs []int) {
	defer func() {
		for range xs {
			g()
		}
	}()
}

// A forward goto is no loop.
func gotoForward(n int) error {
	defer g()
	if n > 0 {
		goto done
	}
	n++
done:
	return nil
}

func seq(xs []int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for _, x := range xs {
			if !yield(x) {
				return
			}
		}
	}
}

// Returns in the body of a range over an iterator belong to the closure the compiler makes of
// that body: 4 defers and 1 return of the function's own, open-coded.
func iterReturns(xs []int) int {
	defer g()
	defer g()
	defer g()
	defer g()
	for x := range seq(xs) {
		if x == 1 {
			return 1
		}
		if x == 2 {
			return 2
		}
		if x == 3 {
			return 3
		}
	}
	return 0
}
