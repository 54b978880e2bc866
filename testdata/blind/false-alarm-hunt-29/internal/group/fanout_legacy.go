//go:build go1.21

// This file is kept buildable with go1.21 toolchains for a downstream
// vendor; it must not use newer language features.

package group

import "sync"

// Fanout calls fn on every input in its own goroutine and returns how many
// goroutines it started, once they have all finished.
func Fanout[T any](inputs []T, fn func(T)) int {
	var wg sync.WaitGroup
	n := 0
	for _, in := range inputs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(in)
		}()
		n++
	}
	wg.Wait()
	return n
}

// FanoutCopy is Fanout with the loop variable copied per iteration.
func FanoutCopy[T any](inputs []T, fn func(T)) int {
	var wg sync.WaitGroup
	n := 0
	for _, in := range inputs {
		in := in
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(in)
		}()
		n++
	}
	wg.Wait()
	return n
}

// FanoutIndexed passes the loop variables as arguments.
func FanoutIndexed[T any](inputs []T, fn func(int, T)) {
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		go func(i int, in T) {
			defer wg.Done()
			fn(i, in)
		}(i, in)
	}
	wg.Wait()
}

// Repeat calls fn(0) .. fn(n-1) concurrently and returns once all are done.
func Repeat(n int, fn func(int)) int {
	var wg sync.WaitGroup
	started := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(i)
		}()
		started++
	}
	wg.Wait()
	return started
}
