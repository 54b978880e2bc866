package closechan

import (
	"context"
	"sync"
)

// One goroutine per part, each signalling once on errc when it is done; the loop after them
// receives once per part and cannot be left early: every sender is done before the close.
func gatherParts(ctx context.Context, parts [][]int, out chan<- int) error {
	defer close(out)
	errc := make(chan error, len(parts))
	for _, part := range parts {
		go func() {
			for _, v := range part {
				select {
				case out <- v:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			errc <- nil
		}()
	}
	var first error
	for range parts {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// The same join counted with an index.
func gatherIndexed(parts [][]int, out chan<- int) {
	defer close(out)
	done := make(chan struct{}, len(parts))
	for i := 0; i < len(parts); i++ {
		go func(p []int) {
			for _, v := range p {
				out <- v
			}
			done <- struct{}{}
		}(parts[i])
	}
	for range parts {
		<-done
	}
}

// The first failure returns while the other parts may still be sending.
func scatterParts(ctx context.Context, parts [][]int, out chan<- int) error {
	defer close(out) // want `defer close\(out\) in scatterParts closes out when scatterParts returns, but the goroutine started on line \d+ can still send on it \(line \d+\) and the return on line 71 does not wait for it`
	errc := make(chan error, len(parts))
	for _, part := range parts {
		go func() {
			for _, v := range part {
				select {
				case out <- v:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			errc <- nil
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// One completion signal received for a goroutine per part: the first one done.
func firstPartDone(parts [][]int, out chan<- int) {
	defer close(out) // want `defer close\(out\) in firstPartDone closes out when firstPartDone returns, but the goroutine started on line \d+ can still send on it`
	done := make(chan struct{}, len(parts))
	for _, p := range parts {
		go func() {
			for _, v := range p {
				out <- v
			}
			done <- struct{}{}
		}()
	}
	<-done
}

// Two goroutines, two signals received.
func mergeTwo(a, b []int, out chan<- int) {
	defer close(out)
	done := make(chan struct{}, 2)
	go func() {
		for _, v := range a {
			out <- v
		}
		done <- struct{}{}
	}()
	go func() {
		for _, v := range b {
			out <- v
		}
		done <- struct{}{}
	}()
	<-done
	<-done
}

// Two goroutines, one signal received.
func mergeTwoFirst(a, b []int, out chan<- int) {
	defer close(out) // want `defer close\(out\) in mergeTwoFirst closes out when mergeTwoFirst returns, but the goroutine started on line \d+ can still send on it`
	done := make(chan struct{}, 2)
	go func() {
		for _, v := range a {
			out <- v
		}
		done <- struct{}{}
	}()
	go func() {
		for _, v := range b {
			out <- v
		}
		done <- struct{}{}
	}()
	<-done
}

type relay struct{ out chan int }

// The goroutine marks itself done in a literal it defers; the deferred literal of the function
// waits for the group before it closes.
func (r *relay) pump(in <-chan int) {
	wg := sync.WaitGroup{}
	defer func() {
		wg.Wait()
		close(r.out)
	}()
	for v := range in {
		wg.Add(1)
		go func(v int) {
			defer func() {
				wg.Done()
			}()
			r.out <- v
		}(v)
	}
}

// A semaphore slot per running goroutine, given back on its way out: filling every slot after
// the loop waits for the last of them.
func fetchAllJoined(keys []string, parallel int, fetch func(string) int, out chan<- int) {
	defer close(out)
	sem := make(chan struct{}, parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			out <- fetch(k)
		}()
	}
	for i := 0; i < cap(sem); i++ {
		sem <- struct{}{}
	}
}

// The same with the make's capacity and a range over it.
func fetchAllJoinedRange(keys []string, parallel int, fetch func(string) int, out chan<- int) {
	defer close(out)
	sem := make(chan struct{}, parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			out <- fetch(k)
		}()
	}
	for range parallel {
		sem <- struct{}{}
	}
}

// The semaphore only bounds the goroutines: the last ones may still be sending.
func fetchAllBounded(keys []string, parallel int, fetch func(string) int, out chan<- int) {
	defer close(out) // want `defer close\(out\) in fetchAllBounded closes out when fetchAllBounded returns, but the goroutine started on line \d+ can still send on it`
	sem := make(chan struct{}, parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			out <- fetch(k)
		}()
	}
}

// Filling one slot fewer than the semaphore has leaves a goroutine running.
func fetchAllShort(keys []string, parallel int, fetch func(string) int, out chan<- int) {
	defer close(out) // want `defer close\(out\) in fetchAllShort closes out when fetchAllShort returns, but the goroutine started on line \d+ can still send on it`
	sem := make(chan struct{}, parallel)
	for _, k := range keys {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			out <- fetch(k)
		}()
	}
	for i := 0; i < parallel-1; i++ {
		sem <- struct{}{}
	}
}

type emitter struct{ out chan int }

func (e *emitter) send(ctx context.Context, v int) {
	select {
	case e.out <- v:
	case <-ctx.Done():
	}
}

// The goroutines run a method value held in a local: they send on e.out after the close.
func (e *emitter) publishAll(ctx context.Context, vals []int) {
	defer close(e.out) // want `defer close\(e\.out\) in emitter\.publishAll closes e\.out when emitter\.publishAll returns, but the goroutine started on line \d+ can still send on it`
	send := e.send
	for _, v := range vals {
		go send(ctx, v)
	}
}

// The same, joined before the close.
func (e *emitter) publishAllJoined(ctx context.Context, vals []int) {
	defer close(e.out)
	var wg sync.WaitGroup
	send := e.send
	for _, v := range vals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			send(ctx, v)
		}()
	}
	wg.Wait()
}
