package fanout

import (
	"context"
	"errors"
	"hash/fnv"
	"sync"
	"time"
)

const numShards = 8

// Parallel runs fns concurrently, cancels the rest on the first error and
// returns it; errc has room for every goroutine.
func Parallel(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(fns))
	for _, fn := range fns {
		go func() { errc <- fn(ctx) }()
	}
	for range fns {
		if err := <-errc; err != nil {
			return err // ok: the remaining senders have buffer slots
		}
	}
	return nil
}

// ShardCounts counts keys per shard with one goroutine per shard.
func ShardCounts(keys []string) [numShards]int {
	var buckets [numShards][]string
	for _, k := range keys {
		h := fnv.New32a()
		h.Write([]byte(k))
		i := h.Sum32() % numShards
		buckets[i] = append(buckets[i], k)
	}
	type count struct{ shard, n int }
	ch := make(chan count, numShards)
	for i := range buckets {
		go func() { ch <- count{i, len(buckets[i])} }()
	}
	var out [numShards]int
	for range buckets {
		c := <-ch
		out[c.shard] = c.n
	}
	return out
}

// Square is a pipeline stage: the goroutine owns out, closes it when done
// and gives up sending when ctx ends.
func Square(ctx context.Context, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- v * v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// SumSquares consumes Square until the first value over limit.
func SumSquares(ctx context.Context, vals []int, limit int) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ok: Square's sender selects on ctx.Done
	in := make(chan int, len(vals))
	for _, v := range vals {
		in <- v
	}
	close(in)
	sum := 0
	for sq := range Square(ctx, in) {
		if sq > limit {
			return sum
		}
		sum += sq
	}
	return sum
}

// fetchInto is started with go; it always calls done, deferred.
func fetchInto(key string, load func(string) []byte, dst map[string][]byte, mu *sync.Mutex, done func()) {
	defer done()
	if key == "" {
		return
	}
	b := load(key)
	mu.Lock()
	dst[key] = b
	mu.Unlock()
}

// LoadMany loads keys concurrently; wg.Done is handed over as a callback.
func LoadMany(keys []string, load func(string) []byte) map[string][]byte {
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := make(map[string][]byte, len(keys))
	wg.Add(len(keys))
	for _, k := range keys {
		go fetchInto(k, load, out, &mu, wg.Done)
	}
	wg.Wait()
	return out
}

// Tickers runs fn every d in n goroutines until stop is closed; the only
// way out of each loop is the case that calls Done and returns.
func Tickers(n int, d time.Duration, fn func(int), stop <-chan struct{}) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			t := time.NewTicker(d)
			for {
				select {
				case <-t.C:
					fn(i)
				case <-stop:
					t.Stop()
					wg.Done()
					return
				}
			}
		}()
	}
	return wg
}

// Acks sends n messages and waits for every ack before the deferred close.
func Acks(n int, send func(i int, ack chan<- int)) []int {
	acks := make(chan int)
	defer close(acks)
	for i := 0; i < n; i++ {
		go send(i, acks)
	}
	got := make([]int, 0, n)
	for i := 0; i < n; i++ {
		got = append(got, <-acks) // ok: n sends, n receives, then the close
	}
	return got
}

// Validated rejects bad input before any goroutine exists, so the deferred
// close cannot race a sender on that path.
func Validated(items []Item, p Processor) ([]Result, error) {
	out := make(chan Result, len(items))
	defer close(out)
	for _, it := range items {
		if it.Key == "" {
			return nil, errors.New("item without key")
		}
	}
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := p(context.Background(), it)
			out <- Result{Key: it.Key, N: n, Err: err}
		}()
	}
	wg.Wait()
	res := make([]Result, 0, len(items))
	for range items {
		res = append(res, <-out)
	}
	return res, nil
}

// Debounce calls fn once events have been quiet for d; the sender side is
// the caller, which selects with a default.
func Debounce(d time.Duration, fn func()) (trigger func(), stop func()) {
	events := make(chan struct{}, 1)
	quit := make(chan struct{})
	go func() {
		var t *time.Timer
		var tc <-chan time.Time
		for {
			select {
			case <-events:
				if t != nil {
					t.Stop()
				}
				t = time.NewTimer(d)
				tc = t.C
			case <-tc:
				fn()
				tc = nil
			case <-quit:
				if t != nil {
					t.Stop()
				}
				return
			}
		}
	}()
	var once sync.Once
	return func() {
			select {
			case events <- struct{}{}:
			default:
			}
		}, func() {
			once.Do(func() { close(quit) })
		}
}

// Deadline waits for the result or gives up, and the sender gives up too
// because it selects on the same done channel.
func Deadline(d time.Duration, fn func() int) (int, bool) {
	res := make(chan int)
	done := make(chan struct{})
	defer close(done)
	go func() {
		v := fn()
		select {
		case res <- v:
		case <-done:
		}
	}()
	select {
	case v := <-res:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}
