// Defers that run immediately anyway: each is a finding.
package fixture

import (
	"fmt"
	"os"
	"sync"
)

var mu sync.Mutex

func lastStatement() {
	mu.Lock()
	defer mu.Unlock() // want `^defer mu\.Unlock\(\) in lastStatement runs immediately anyway because it is the last statement of the function; call mu\.Unlock\(\) directly$`
}

func beforeConstReturn(f *os.File) error {
	fmt.Fprintln(f, "x")
	defer f.Sync() // want `because the return right after it has only constant results`
	return nil
}

func beforeBareReturn(wg *sync.WaitGroup) {
	if wg == nil {
		return
	}
	defer wg.Done() // want `because it is the last statement`
}

func inBranch(ok bool) (int, error) {
	if !ok {
		defer fmt.Println("failed") // want `in inBranch .* only constant results`
		return -1, nil
	}
	return 1, nil
}

func bare() {
	defer fmt.Println("bye") // want `because a bare return follows it`
	return
}

type T struct{ mu sync.Mutex }

func (t *T) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock() // want `in T\.Reset runs immediately`
}

var lit = func() {
	defer fmt.Println("lit") // want `in the function literal on line 50 runs immediately`
}

func constExpr() int {
	defer fmt.Println("c") // want `only constant results`
	return 2 * 3
}

func inSwitch(k int) string {
	switch k {
	case 1:
		defer fmt.Println("one") // want `only constant results`
		return "one"
	}
	return "other"
}
