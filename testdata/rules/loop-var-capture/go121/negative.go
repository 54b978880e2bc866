package loopvar

import (
	"fmt"
	"sync"
)

func passedAsArgument(n int) {
	for i := 0; i < n; i++ {
		defer func(i int) {
			fmt.Println(i)
		}(i)
	}
}

func copiedBeforeDefer(names []string) {
	for _, name := range names {
		name := name
		defer func() {
			fmt.Println(name)
		}()
	}
}

func copiedInGoroutineLoop(xs []int) {
	var wg sync.WaitGroup
	for _, x := range xs {
		x := x
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(x)
		}()
	}
	wg.Wait()
}

func closureDeclaresOwn(n int) {
	for i := 0; i < n; i++ {
		defer func() {
			i := 42
			fmt.Println(i)
		}()
	}
}

func parameterShadows(n int) {
	for i := 0; i < n; i++ {
		go func(i int) {
			fmt.Println(i)
		}(i)
	}
}

func deferInsideFuncLitInLoop(names []string) {
	for _, name := range names {
		func() {
			defer func() {
				fmt.Println(name)
			}()
		}()
	}
}

func directDeferredCallEvaluatesNow(xs []int) {
	for _, x := range xs {
		defer fmt.Println(x)
	}
}

func closureNotReadingLoopVar(n int) {
	total := 0
	for i := 0; i < n; i++ {
		total += i
		defer func() {
			fmt.Println("done")
		}()
	}
	_ = total
}

func closureCalledInIteration(xs []int) {
	for _, x := range xs {
		func() {
			fmt.Println(x)
		}()
	}
}

type point struct{ x int }

func fieldKeyNamedLikeLoopVar(xs []int) {
	for x := range xs {
		_ = x
		defer func() {
			p := point{x: 1}
			fmt.Println(p)
		}()
	}
}

func deferOutsideLoop(xs []int) {
	var last int
	for _, x := range xs {
		last = x
	}
	defer func() {
		fmt.Println(last)
	}()
}

func blankLoopVar(xs []int) {
	for range xs {
		defer func() {
			fmt.Println("x")
		}()
	}
}

func waitedInIteration(rounds int, nodes []string) {
	for attempt := 0; attempt < rounds; attempt++ {
		var wg sync.WaitGroup
		for _, n := range nodes {
			wg.Add(1)
			go func(n string) {
				defer wg.Done()
				fmt.Println(n, attempt)
			}(n)
		}
		wg.Wait()
	}
}

// The defer runs at most once (the function returns right after it), so it sees its own
// iteration's value.
func firstNegative(xs []int) int {
	for i, x := range xs {
		if x < 0 {
			defer func() { println("first negative at", i) }()
			return x
		}
	}
	return 0
}

// Likewise when every path after the defer breaks out of the loop.
func firstEmpty(names []string) {
	for _, name := range names {
		if name == "" {
			continue
		}
		defer func() { println("first:", name) }()
		break
	}
}

// A goroutine started at most once: the loop is left right after the go statement, so the
// loop variable never takes another value.
func startPrimary(servers []func() error, primary int) {
	for i, serve := range servers {
		if i == primary {
			go func() { _ = serve() }()
			return
		}
	}
}

func startFirstReady(servers []func() error, ready func(int) bool) {
	for i, serve := range servers {
		if ready(i) {
			go func() { _ = serve() }()
			break
		}
	}
}

// The goroutine's result is received in the same iteration: the variable cannot change meanwhile.
func mapEach(items []string, f func(string) string) []string {
	var out []string
	for _, name := range items {
		done := make(chan string)
		go func() { done <- f(name) }()
		out = append(out, <-done)
	}
	return out
}
