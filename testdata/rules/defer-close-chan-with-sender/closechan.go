package closechan

import (
	"context"
	"errors"
	"sync"
	"time"
)

func compute(i int) int { return i * 2 }

// ---- positives ----

// The function returns as soon as the first result arrives; the other workers still send.
func firstResult(n int) int {
	results := make(chan int)
	defer close(results) // want `defer close\(results\) in firstResult closes results when firstResult returns, but the goroutine started on line 19`
	for i := 0; i < n; i++ {
		go func(i int) {
			results <- compute(i)
		}(i)
	}
	return <-results
}

// A timeout path returns without waiting for the worker.
func withTimeout(ctx context.Context) (int, error) {
	ch := make(chan int, 1)
	defer close(ch) // want `closes ch when withTimeout returns, but the goroutine started on line 30 can still send on it \(line 31\)`
	go func() {
		ch <- compute(1)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// An early return before the WaitGroup wait.
func earlyReturn(items []int) error {
	out := make(chan int, len(items))
	defer close(out) // want `closes out when earlyReturn returns`
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- compute(it)
		}()
	}
	if len(items) > 3 {
		return errors.New("too many")
	}
	wg.Wait()
	return nil
}

// The sender is a named function of this package that receives the channel as a parameter.
func produce(dst chan<- int, v int) {
	dst <- v
}

func namedSender() {
	c := make(chan int, 4)
	defer close(c) // want `the goroutine started on line 68 can still send on it \(line 62\)`
	go produce(c, 3)
}

// The close is inside a deferred function literal.
func deferredLiteral(done <-chan struct{}) {
	events := make(chan string)
	defer func() {
		close(events) // want `close\(events\) deferred in deferredLiteral closes events`
	}()
	go func() {
		for {
			events <- "tick"
			time.Sleep(time.Millisecond)
		}
	}()
	<-done
}

// A send in a select case still panics once the channel is closed.
func selectSend(ctx context.Context) {
	ch := make(chan int)
	defer close(ch) // want `closes ch when selectSend returns`
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
}

// A field channel.
type server struct {
	updates chan int
}

func (s *server) run(ctx context.Context) {
	defer close(s.updates) // want `defer close\(s.updates\) in server.run closes s.updates`
	go func() {
		s.updates <- 1
	}()
	<-ctx.Done()
}

// The deferred Wait is registered before the close, so the close runs first.
func waitTooLate(n int) {
	ch := make(chan int, n)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(ch) // want `closes ch when waitTooLate returns`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
}

// ---- negatives ----

// The sender closes its own channel: the standard generator.
func generate(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// Every sender is waited for before the function returns.
func waited(items []int) []int {
	out := make(chan int, len(items))
	defer close(out)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- compute(it)
		}()
	}
	wg.Wait()
	res := make([]int, 0, len(items))
	for len(out) > 0 {
		res = append(res, <-out)
	}
	return res
}

// A deferred Wait registered after the close runs before it (LIFO).
func deferredWait(n int) {
	ch := make(chan int, n)
	var wg sync.WaitGroup
	defer close(ch)
	defer wg.Wait()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
}

// One sender, one send, and one receive on every path before the return.
func singleReceive() int {
	ch := make(chan int)
	defer close(ch)
	go func() {
		ch <- compute(2)
	}()
	return <-ch
}

// A receive loop that returns early leaves the remaining senders running.
func firstError(tasks []func() error) error {
	errs := make(chan error)
	defer close(errs) // want `the goroutine started on line 190 can still send on it \(line 191\) and the return on line 196 does not wait for it`
	for _, task := range tasks {
		go func() {
			errs <- task()
		}()
	}
	for range tasks {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// A receive loop that takes one value per sender and is never left early.
func sumAll(n int) int {
	ch := make(chan int)
	defer close(ch)
	for i := 0; i < n; i++ {
		go func() {
			ch <- compute(i)
		}()
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	return sum
}

// The method goroutine sends on another field of the receiver.
func (s *server) relay(in chan int) {
	defer close(in)
	go s.push(7)
	<-in
}

func (s *server) push(v int) {
	s.updates <- v
}

// The named sender gets a different channel.
func otherArgument() {
	a := make(chan int, 1)
	b := make(chan int, 1)
	defer close(a)
	go produce(b, 1)
}

// The goroutine only receives from the channel.
func onlyReceiver(vals []int) {
	ch := make(chan int)
	defer close(ch)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, v := range vals {
		ch <- v
	}
}

// The goroutine sends on another channel.
func otherChannel() int {
	ch := make(chan int)
	res := make(chan int, 1)
	defer close(ch)
	go func() {
		res <- 1
	}()
	return 0
}

// The goroutine signals completion by closing done, which the function waits for.
func doneSignal() {
	ch := make(chan int, 1)
	done := make(chan struct{})
	defer close(ch)
	go func() {
		defer close(done)
		ch <- 1
	}()
	<-done
}

// No goroutine at all.
func noGoroutine() {
	ch := make(chan int, 1)
	defer close(ch)
	ch <- 1
}

// The close is not deferred.
func plainClose() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	<-ch
	close(ch)
}

// A send in a nested function literal of the caller (not a goroutine).
func sendInline() {
	ch := make(chan int, 1)
	defer close(ch)
	func() {
		ch <- 1
	}()
}

// A deferred Wait registered after the close, with the Add before the loop.
func errgroupLike(n int) {
	ch := make(chan int, n)
	defer close(ch)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
	defer wg.Wait()
}

// The deferred literal waits for the senders before it closes: no send can come after.
func waitThenCloseInLiteral(n int) {
	out := make(chan int, n)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		close(out)
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
}

// The wait comes after the close in the literal: the senders may still be running.
func closeThenWaitInLiteral(n int) {
	out := make(chan int, n)
	var wg sync.WaitGroup
	defer func() {
		close(out) // want `close\(out\) deferred in closeThenWaitInLiteral closes out`
		wg.Wait()
	}()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
}

type outcome struct {
	v   int
	err error
}

// The receive loop run to its end took every value; the returns from inside it leave senders
// behind, and the message names one of them.
func firstOf(ctx context.Context, fns []func() (int, error)) (int, error) {
	ch := make(chan outcome, len(fns))
	defer close(ch) // want `the return on line \d+ does not wait for it`
	for _, f := range fns {
		go func() {
			v, err := f()
			ch <- outcome{v, err}
		}()
	}
	var lastErr error
	for range fns {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.v, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return 0, lastErr
}
