// None of these is a finding of unnecessary-defer.
package fixture

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

type store struct {
	mu sync.Mutex
	m  map[string]int
}

// The return reads shared state under the lock: the defer matters.
func (s *store) get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

// Work follows the defer.
func work(f *os.File) error {
	defer f.Close()
	_, err := fmt.Fprintln(f, "data")
	return err
}

// A deferred recover must stay deferred.
func guarded() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(r)
		}
	}()
}

// A deferred closure may change named results after the return assigned them.
func named() (n int) {
	defer func() { n++ }()
	return 1
}

// The return calls a function, which runs before the deferred call.
func compute() int {
	defer fmt.Println("after")
	return len(os.Args)
}

// A defer at the end of a loop body runs at function exit, not immediately.
func inLoop(xs []int) {
	for _, x := range xs {
		defer fmt.Println(x)
	}
}

// Statements follow in the same block.
func followed(wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Println("working")
}

// The return result is a variable.
func variable(x int) int {
	defer fmt.Println("v")
	return x
}

// A defer at the end of an if block is not the end of the function.
func endOfBlock(ok bool) {
	if ok {
		defer fmt.Println("ok")
	}
	fmt.Println("more")
}

// The deferred call reads the stack: run at exit, runtime.Caller reports the closing brace's
// line, so calling it directly would change what it observes.
func traceExit() {
	defer logCaller("exit")
}

func logCaller(what string) {
	if _, file, line, ok := callerOf(2); ok {
		fmt.Println(what, file, line)
	}
}

func callerOf(skip int) (uintptr, string, int, bool) {
	return runtime.Caller(skip + 1)
}

// A deferred literal that prints the stack at exit.
func dumpAtExit() {
	defer func() { debug.PrintStack() }()
}

// A deferred function given a named result's address sees the value the return assigns.
func recordResult(n *int) { fmt.Println("result", *n) }

func answer() (n int) {
	defer recordResult(&n)
	return 42
}

// A deferred method that recovers: called directly, its recover would do nothing.
type server struct{}

func (s *server) recoverPanic() {
	if r := recover(); r != nil {
		fmt.Println(r)
	}
}

func (s *server) noop() {
	defer s.recoverPanic()
}
