package deferfunc

import (
	"fmt"
	"net/http"
	"os"
	"sync"
)

func tracedRight() {
	defer trace("ok")()
	fmt.Println("work")
}

func methodRight(t tracer) {
	defer t.Span("m")()
}

func namedTypeRight() {
	defer startTimer("x")()
}

func returnsError(f *os.File) {
	defer f.Close()
}

func returnsNothing(wg *sync.WaitGroup) {
	defer wg.Done()
}

func literal() {
	defer func() { fmt.Println("bye") }()
}

func returnsNonFunc() int { return 1 }

func nonFuncResult() {
	defer returnsNonFunc()
}

func conversion(h func(http.ResponseWriter, *http.Request)) {
	// A conversion is not a call that returns a cleanup.
	defer http.HandlerFunc(h).ServeHTTP(nil, nil)
}

func funcValueRight(mk func() func()) {
	defer mk()()
}

func cleanupVar() {
	cleanup := trace("v")
	defer cleanup()
}

func goStatementIsNotDefer() {
	go trace("g")
}

func builtin(ch chan int) {
	defer close(ch)
}

func printlnResult() {
	defer fmt.Println("x")
}

func pairAssigned() {
	undo, err := setup()
	if err != nil {
		return
	}
	defer undo()
}

func mustValue[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func count() (int, error) { return 1, nil }

// The same generic helper instantiated with a non-func type.
func genericValue() {
	defer mustValue(count())
}

func values(s []int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for _, v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

// The dropped func takes a parameter: an iterator, not a cleanup (and f()() would not compile).
func deferredIterator(s []int) {
	defer values(s)
}

var exitHook = func() {}

// setExitHook installs fn and returns the hook it replaced.
func setExitHook(fn func()) (prev func()) {
	prev, exitHook = exitHook, fn
	return prev
}

// Swap and restore: the previous hook goes back at exit; the fake one returned then is dropped.
func withFakeHook(run func()) {
	defer setExitHook(setExitHook(func() {}))
	run()
}
