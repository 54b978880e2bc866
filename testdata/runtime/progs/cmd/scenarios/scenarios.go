package main

import (
	"context"
	"net"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// started receives one value per scenario goroutine once it is about to block.
var started = make(chan struct{}, 64)

var (
	never     = make(chan int) // nobody ever sends or receives here
	flushDone = make(chan struct{})
	mu        sync.Mutex
	held      sync.WaitGroup
)

// startAll starts every scenario and returns how many goroutines will report on started.
func startAll() int {
	n := 0
	n += startLeaks(3)
	for i := 0; i < 2; i++ {
		go receiver(never)
		n++
	}
	go selectLoop(never, flushDone)
	n++

	mu.Lock() // held forever, so lockWaiter blocks
	go lockWaiter()
	n++

	held.Add(1)
	go func() {
		started <- struct{}{}
		held.Wait()
	}()
	n++

	go closeWithFlush()
	n++
	go handlerWithDeferredWait()
	n++
	go drainAll(3)
	n++
	go recoverAndReport()
	n++
	go abortJob("job-7")
	n++

	go pprof.Do(context.Background(), pprof.Labels("handler", "orders", "tenant", `acme "east"`), func(context.Context) {
		started <- struct{}{}
		<-never
	})
	n++

	go func() {
		runtime.LockOSThread()
		started <- struct{}{}
		<-never
	}()
	n++

	go recurse(120)
	n++

	p := &Pool[string]{jobs: make(chan string)}
	for i := 0; i < 2; i++ {
		go p.worker(i)
		n++
	}

	go sleeper(time.Hour)
	n++

	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		go acceptLoop(ln)
		n++
	}
	return n
}

// startLeaks starts goroutines that send on a channel nobody will ever read:
// the channel becomes unreachable when startLeaks returns.
func startLeaks(k int) int {
	results := make(chan int)
	for i := 0; i < k; i++ {
		go func(v int) {
			started <- struct{}{}
			results <- v * v
		}(i)
	}
	return k
}

func receiver(ch chan int) {
	started <- struct{}{}
	<-ch
}

func selectLoop(a chan int, b chan struct{}) {
	started <- struct{}{}
	for {
		select {
		case <-a:
		case <-b:
		}
	}
}

func lockWaiter() {
	started <- struct{}{}
	mu.Lock()
	mu.Unlock()
}

// closeWithFlush blocks in its deferred function: the open-coded defer runs
// at the function's exit.
func closeWithFlush() {
	defer func() {
		<-flushDone
	}()
	started <- struct{}{}
}

// handlerWithDeferredWait defers a method call with a receiver, which the
// compiler wraps in a deferwrap function.
func handlerWithDeferredWait() {
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait()
	started <- struct{}{}
}

// drainAll defers in a loop, so its defers are not open-coded and run from
// runtime.deferreturn.
func drainAll(n int) {
	for i := 0; i < n; i++ {
		defer wait(i)
	}
	started <- struct{}{}
}

func wait(i int) {
	if i == 0 {
		<-flushDone
	}
}

// recoverAndReport panics; its deferred function blocks before recovering.
func recoverAndReport() {
	defer func() {
		<-flushDone
		_ = recover()
	}()
	started <- struct{}{}
	var m map[string]int
	m["x"] = 1
}

// abortJob panics; its deferred call has an argument, so the compiler wraps
// it in a deferwrap function that the panic runs.
func abortJob(id string) {
	defer release(id)
	started <- struct{}{}
	var m map[string]int
	m[id] = 1
}

//go:noinline
func release(id string) {
	<-flushDone
	_ = id
}

func recurse(depth int) int {
	if depth == 0 {
		started <- struct{}{}
		return <-never
	}
	return recurse(depth-1) + 1
}

type Pool[T any] struct {
	jobs chan T
}

func (p *Pool[T]) worker(id int) {
	started <- struct{}{}
	for j := range p.jobs {
		_ = j
	}
}

func sleeper(d time.Duration) {
	started <- struct{}{}
	time.Sleep(d)
}

func acceptLoop(ln net.Listener) {
	started <- struct{}{}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}
