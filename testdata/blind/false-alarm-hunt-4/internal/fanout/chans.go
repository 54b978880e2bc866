package fanout

import (
	"context"
	"log"
	"sync"
	"time"
)

// Merge fans several channels into one; the output closes after every
// forwarder has finished.
func Merge(ctx context.Context, ins ...<-chan Result) <-chan Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range in {
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Gather runs p on every item and returns the results in completion order.
// The deferred close runs after wg.Wait, when every sender is finished.
func Gather(ctx context.Context, items []Item, p Processor) []Result {
	results := make(chan Result, len(items))
	defer close(results) // ok: wg.Wait below returns only after the last send
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := p(ctx, it)
			results <- Result{Key: it.Key, N: n, Err: err}
		}()
	}
	wg.Wait()
	out := make([]Result, 0, len(items))
	for range items {
		out = append(out, <-results)
	}
	return out
}

// SumSizes receives exactly one value per sender before returning.
func SumSizes(items []Item) int {
	sizes := make(chan int)
	defer close(sizes) // ok: every one of the len(items) sends is received below
	for _, it := range items {
		go func() { sizes <- len(it.Data) }()
	}
	total := 0
	for range items {
		total += <-sizes
	}
	return total
}

// Heartbeat starts tickers that only receive from stop; the function closes
// stop on exit to end them.
func Heartbeat(beat func(name string), names []string, d time.Duration) (stopAll func()) {
	stop := make(chan struct{})
	for _, n := range names {
		go func() {
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					beat(n)
				case <-stop:
					return
				}
			}
		}()
	}
	var once sync.Once
	return func() { once.Do(func() { close(stop) }) }
}

// RunFor runs workers for d and then tells them to stop; the workers
// receive from quit, they never send on it.
func RunFor(d time.Duration, work func(), n int) {
	quit := make(chan struct{})
	defer close(quit) // ok: quit is a stop signal only read by the goroutines
	for i := 0; i < n; i++ {
		go func() {
			for {
				select {
				case <-quit:
					return
				default:
					work()
				}
			}
		}()
	}
	time.Sleep(d)
}

// Produce fills a channel from a generator; the goroutine is the sender and
// closes its own channel.
func Produce(gen func() (Item, bool)) <-chan Item {
	ch := make(chan Item, 16)
	go func() {
		defer close(ch) // ok: closed by the only sender after its last send
		for {
			it, ok := gen()
			if !ok {
				return
			}
			ch <- it
		}
	}()
	return ch
}

// Batch groups items from in into slices of size n.
func Batch(in <-chan Item, n int) <-chan []Item {
	out := make(chan []Item)
	go func() {
		defer close(out)
		buf := make([]Item, 0, n)
		for it := range in {
			buf = append(buf, it)
			if len(buf) == n {
				out <- buf
				buf = make([]Item, 0, n)
			}
		}
		if len(buf) > 0 {
			out <- buf
		}
	}()
	return out
}

// Scatter sends to per-worker channels; the goroutines it starts send on
// errs, and the deferred close is of the job channels they read.
func Scatter(items []Item, workers int, p Processor) error {
	jobs := make(chan Item)
	errs := make(chan error, len(items))
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				if _, err := p(context.Background(), it); err != nil {
					errs <- err
				}
			}
		}()
	}
	func() {
		defer close(jobs) // ok: only this literal sends on jobs
		for _, it := range items {
			jobs <- it
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}

// Watch forwards events from a subscription until the caller cancels;
// the forwarder is waited for before the deferred close runs.
func Watch(ctx context.Context, sub <-chan string, handle func(string)) {
	events := make(chan string)
	defer close(events)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case ev, ok := <-sub:
				if !ok {
					return
				}
				select {
				case events <- ev:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case ev := <-events:
			handle(ev)
		case <-done:
			return // ok: the forwarder has exited, no send can follow the close
		}
	}
}

// FirstResult returns the first item processed; the other goroutines may
// still send after the deferred close runs.
func FirstResult(ctx context.Context, items []Item, p Processor) Result {
	results := make(chan Result, len(items))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, it := range items {
		go func() {
			n, err := p(ctx, it)
			results <- Result{Key: it.Key, N: n, Err: err}
		}()
	}
	return <-results
}

// Poll samples every source until the deadline and returns what arrived.
func Poll(sources []func() int, d time.Duration) []int {
	samples := make(chan int, 64)
	defer close(samples) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() {
			for {
				samples <- src()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	deadline := time.After(d)
	var out []int
	for {
		select {
		case v := <-samples:
			out = append(out, v)
		case <-deadline:
			log.Printf("poll: %d samples", len(out))
			return out
		}
	}
}
