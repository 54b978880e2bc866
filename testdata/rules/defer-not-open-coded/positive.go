// Functions whose defers the compiler cannot open-code.
package fixture

func f() {}

func inLoop(n int) {
	defer f()
	for i := 0; i < n; i++ {
		defer f() // want `^the defers of inLoop are not open-coded because the defer on line 9 is in a loop`
	}
}

func rangeLoop(xs []int) {
	for range xs {
		defer f() // want `the defers of rangeLoop are not open-coded because the defer on line 15 is in a loop`
	}
}

func nine() {
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f() // want `^the 9 defers of nine are not open-coded because a function may open-code at most 8`
}

func manyReturns(x int) int {
	defer f() // want `4 returns × 5 defers = 20 exceeds 15`
	defer f()
	defer f()
	defer f()
	defer f()
	if x > 1 {
		return 1
	}
	if x > 2 {
		return 2
	}
	if x > 3 {
		return 3
	}
	return 4
}

func bareReturns(x int) {
	defer f() // want `2 returns × 8 defers = 16 exceeds 15`
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	defer f()
	if x > 1 {
		return
	}
	if x > 2 {
		return
	}
}

type S struct{}

func (S) method(xs []string) {
	for range xs {
		defer f() // want `the defers of S\.method are not open-coded`
	}
}

var lit = func(n int) {
	for i := 0; i < n; i++ {
		defer f() // want `the defers of the function literal on line 74 are not open-coded`
	}
}

func sixReturns(x int) int {
	defer f() // want `6 returns × 3 defers = 18`
	defer f()
	defer f()
	switch x {
	case 1:
		return 1
	case 2:
		return 2
	case 3:
		return 3
	case 4:
		return 4
	case 5:
		return 5
	}
	return 0
}

// A loop written with a backward goto: the compiler counts it as a loop.
func gotoLoop(n int) error {
	i := 0
again:
	defer g() // want `is in a loop`
	i++
	if i < n {
		goto again
	}
	return nil
}
