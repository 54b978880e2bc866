// Package fanout runs batches of work on bounded worker sets.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
)

// Item is a unit of work.
type Item struct {
	Key  string
	Data []byte
}

// Result is the outcome of one item.
type Result struct {
	Key string
	N   int
	Err error
}

// Processor handles one item.
type Processor func(context.Context, Item) (int, error)

// ProcessAll runs p on every item with at most workers goroutines.
func ProcessAll(ctx context.Context, items []Item, workers int, p Processor) []Result {
	results := make([]Result, len(items))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n, err := p(ctx, it)
			results[i] = Result{Key: it.Key, N: n, Err: err}
		}()
	}
	wg.Wait()
	return results
}

// CountValid counts items that pass check. Done is the last statement and
// nothing returns early: the only return sits in a nested func literal.
func CountValid(items []Item, check func(Item) bool) int64 {
	var valid atomic.Int64
	var wg sync.WaitGroup
	chunks := split(items, 4)
	for _, chunk := range chunks {
		wg.Add(1)
		go func() {
			each(chunk, func(it Item) {
				if !check(it) {
					return // ok: returns from the callback, not the goroutine
				}
				valid.Add(1)
			})
			wg.Done()
		}()
	}
	wg.Wait()
	return valid.Load()
}

func each(items []Item, fn func(Item)) {
	for _, it := range items {
		fn(it)
	}
}

func split(items []Item, n int) [][]Item {
	if n <= 0 {
		n = 1
	}
	size := (len(items) + n - 1) / n
	var out [][]Item
	for size > 0 && len(items) > 0 {
		if len(items) < size {
			size = len(items)
		}
		out = append(out, items[:size])
		items = items[size:]
	}
	return out
}

// Validate runs every validator; each goroutine calls Done on both of its paths.
func Validate(validators []func() error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, v := range validators {
		wg.Add(1)
		go func() {
			if err := v(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// worker drains jobs until the channel closes, then signals wg. It has no
// early return.
func worker(id int, jobs <-chan Item, out chan<- Result, p Processor, wg *sync.WaitGroup) {
	for it := range jobs {
		n, err := p(context.Background(), it)
		out <- Result{Key: it.Key, N: n, Err: err}
	}
	log.Printf("worker %d: done", id)
	wg.Done()
}

// Pipeline feeds items to n workers and collects every result.
func Pipeline(items []Item, n int, p Processor) []Result {
	jobs := make(chan Item)
	out := make(chan Result, len(items))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(i, jobs, out, p, &wg)
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
	close(out)
	var res []Result
	for r := range out {
		res = append(res, r)
	}
	return res
}

// finish is deferred by the goroutines of Broadcast; it releases the
// WaitGroup after recording the outcome.
func finish(wg *sync.WaitGroup, failed *atomic.Int32, err *error) {
	if *err != nil {
		failed.Add(1)
	}
	wg.Done()
}

// Broadcast sends msg to every subscriber and reports how many failed.
func Broadcast(subs []func(string) error, msg string) int {
	var wg sync.WaitGroup
	var failed atomic.Int32
	for _, s := range subs {
		wg.Add(1)
		go func() {
			var err error
			defer finish(&wg, &failed, &err) // ok: Done runs through the deferred helper on every path
			if s == nil {
				err = errors.New("nil subscriber")
				return
			}
			err = s(msg)
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// StartAll starts every service and waits for all of them to report ready;
// ready and running are two different WaitGroups.
func StartAll(ctx context.Context, services []func(ctx context.Context, ready func()) error) (wait func() error) {
	var ready, running sync.WaitGroup
	errs := make([]error, len(services))
	for i, svc := range services {
		ready.Add(1)
		running.Add(1)
		go func() {
			defer running.Done()
			var once sync.Once
			markReady := func() { once.Do(ready.Done) }
			defer markReady() // ok: a service that fails before ready still releases ready
			errs[i] = svc(ctx, markReady)
		}()
	}
	ready.Wait()
	return func() error {
		running.Wait()
		return errors.Join(errs...)
	}
}

// Tally sums every item's size; Done happens inside a deferred closure that
// first publishes the partial sum.
func Tally(batches [][]Item) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, b := range batches {
		wg.Add(1)
		go func() {
			sum := 0
			defer func() {
				mu.Lock()
				total += sum
				mu.Unlock()
				wg.Done()
			}()
			for _, it := range b {
				if it.Data == nil {
					return
				}
				sum += len(it.Data)
			}
		}()
	}
	wg.Wait()
	return total
}

// Probe checks every endpoint; the goroutine recovers from a panicking check
// and Done is deferred, so it runs after the recover too.
func Probe(endpoints []string, check func(string) error) map[string]error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := make(map[string]error, len(endpoints))
	for _, ep := range endpoints {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					out[ep] = fmt.Errorf("probe %s panicked: %v", ep, r)
					mu.Unlock()
				}
			}()
			err := check(ep)
			mu.Lock()
			out[ep] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// Warm loads every key into cache; Done is on every branch of the switch.
func Warm(keys []string, load func(string) ([]byte, error), cache map[string][]byte) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var loaded atomic.Int32
	for _, k := range keys {
		wg.Add(1)
		go func() {
			v, err := load(k)
			switch {
			case err != nil:
				log.Printf("warm %s: %v", k, err)
				wg.Done()
			case len(v) == 0:
				wg.Done()
			default:
				mu.Lock()
				cache[k] = v
				mu.Unlock()
				loaded.Add(1)
				wg.Done()
			}
		}()
	}
	wg.Wait()
	return int(loaded.Load())
}

// Refresh reloads every key and skips keys that fail; the early return
// skips the Done.
func Refresh(keys []string, load func(string) ([]byte, error), store func(string, []byte)) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			v, err := load(k)
			if err != nil {
				log.Printf("refresh %s: %v", k, err)
				return
			}
			store(k, v)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Index builds per-shard indexes; a recover in the goroutine turns a panic
// into a log line, but the explicit Done sits after the call that panicked.
func Index(shards [][]Item, build func([]Item) map[string]int) []map[string]int {
	out := make([]map[string]int, len(shards))
	var wg sync.WaitGroup
	for i, s := range shards {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					log.Printf("index shard %d: %v", i, r)
				}
			}()
			out[i] = build(s)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}
