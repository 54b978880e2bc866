//go:build go1.21

// This file is compiled with go1.21 semantics: a loop variable is one
// variable shared by all iterations.

package loopcap

import (
	"context"
	"log"
	"sync"
)

// RenderTiles renders every tile concurrently; in go1.21 y, x and t are
// shared by all goroutines of the nested loops.
func RenderTiles(grid [][]Tile, out [][]string) int {
	var wg sync.WaitGroup
	launched := 0
	for y, row := range grid {
		for x, t := range row {
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				out[y][x] = t.Render()
			}()
			launched++
		}
	}
	wg.Wait()
	return launched
}

// worker is a value type whose loop method has a pointer receiver.
type worker struct {
	id int
	in chan Job
}

func (w *worker) loop(wg *sync.WaitGroup, run func(int, Job)) {
	defer wg.Done()
	for j := range w.in {
		run(w.id, j)
	}
}

// StartWorkers starts w.loop for every worker; the receiver is &w, the address
// of the single go1.21 range variable, so the goroutines race with the loop
// and mostly serve the last worker.
func StartWorkers(ws []worker, run func(int, Job)) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for _, w := range ws {
		wg.Add(1)
		go w.loop(wg, run) // HAZ loop-var-capture
		debugf("started worker %d", w.id)
	}
	return wg
}

// WarmCaches warms every cache concurrently; name and c are shared in go1.21.
func WarmCaches(caches map[string]*Cache) {
	var wg sync.WaitGroup
	for name, c := range caches {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := c.Warm(); err != nil {
				log.Printf("warm %s: %v", name, err)
			}
		}()
		debugf("warming cache %s", name)
	}
	wg.Wait()
}

// FlushShards reads shards[i] in the goroutine; by then i may equal
// len(shards) and the index panics.
func FlushShards(shards []*Shard) {
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			shards[i].Flush()
		}()
		debugf("flushing shard %d", i)
	}
	wg.Wait()
}

// Dispatch starts jobs from inside a select default branch.
func Dispatch(ctx context.Context, jobs []Job, run func(Job)) (int, error) {
	var wg sync.WaitGroup
	dispatched := 0
	for _, job := range jobs {
		select {
		case <-ctx.Done():
			wg.Wait()
			return dispatched, ctx.Err()
		default:
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				run(job)
			}()
		}
		dispatched++
	}
	wg.Wait()
	return dispatched, nil
}

// SendAll reads msg two function literals deep inside the goroutine.
func SendAll(msgs []Message, send func(Message) error) {
	var wg sync.WaitGroup
	for _, msg := range msgs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := retry(3, func() error { return send(msg) }); err != nil {
				log.Printf("send %s: %v", msg.ID, err)
			}
		}()
		debugf("queued %s", msg.ID)
	}
	wg.Wait()
}

// ---- negatives (still go1.21) ----

// RunJobsByArg passes the loop variable as an argument.
func RunJobsByArg(jobs []Job, run func(Job)) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			run(j)
		}(job)
	}
	wg.Wait()
}

// WarmCachesCopied shadows the loop variables with per-iteration copies.
func WarmCachesCopied(caches map[string]*Cache) {
	var wg sync.WaitGroup
	for name, c := range caches {
		name, c := name, c
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Warm(); err != nil {
				log.Printf("warm %s: %v", name, err)
			}
		}()
	}
	wg.Wait()
}

// snapshot has a value receiver: the go statement copies the worker.
func (w worker) snapshot(out chan<- int) {
	out <- w.id
}

// SnapshotWorkers starts a value-receiver method: each goroutine gets its own
// copy of w, evaluated at the go statement.
func SnapshotWorkers(ws []worker) []int {
	out := make(chan int, len(ws))
	for _, w := range ws {
		go w.snapshot(out)
	}
	ids := make([]int, 0, len(ws))
	for range ws {
		ids = append(ids, <-out)
	}
	return ids
}

// ProcessItems takes a per-iteration pointer declared inside the body.
func ProcessItems(items []Item) {
	var wg sync.WaitGroup
	for i := range items {
		it := &items[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			it.Process()
		}()
	}
	wg.Wait()
}

// NotifyAll starts a plain call, not a function literal: its arguments,
// including the loop variable, are evaluated at the go statement.
func NotifyAll(targets []string, notify func(string, string)) {
	subject := "maintenance window"
	for _, t := range targets {
		go notify(t, subject)
	}
}
