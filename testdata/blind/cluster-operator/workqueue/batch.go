package workqueue

import (
	"errors"
	"sync"
	"time"
)

// ErrStopWorker may be returned by a Process callback to retire the worker
// that called it.
var ErrStopWorker = errors.New("workqueue: stop worker")

// AddBatch adds several items under one lock acquisition and returns how
// many of them were new.
func (q *Queue) AddBatch(items []string) int {
	q.mu.Lock() // HAZ lock-leaked-on-return
	n := 0
	for _, item := range items {
		if q.shuttingDown {
			return n
		}
		if _, ok := q.dirty[item]; ok {
			continue
		}
		q.dirty[item] = struct{}{}
		n++
		if _, ok := q.processing[item]; !ok {
			q.items = append(q.items, item)
		}
	}
	q.cond.Broadcast()
	q.mu.Unlock()
	return n
}

// AddAll is AddBatch with the unlock deferred.
func (q *Queue) AddAll(items ...string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return 0
	}
	n := 0
	for _, item := range items {
		if _, ok := q.dirty[item]; ok {
			continue
		}
		q.dirty[item] = struct{}{}
		n++
		if _, ok := q.processing[item]; !ok {
			q.items = append(q.items, item)
		}
	}
	q.cond.Broadcast()
	return n
}

// SetRate changes the bucket's rate and burst at run time.
func (b *BucketLimiter) SetRate(qps float64, burst int) {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	b.rate = qps
	b.burst = float64(burst)
	b.tokens = min(b.tokens, b.burst)
}

// Process runs workers goroutines that take items from q and call fn until
// q is shut down or every worker retired; it returns when all are gone.
func Process(q *Queue, workers int, fn func(item string) error) {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go processWorker(q, &wg, fn)
	}
	wg.Wait()
}

func processWorker(q *Queue, wg *sync.WaitGroup, fn func(item string) error) {
	for {
		item, shutdown := q.Get()
		if shutdown {
			break
		}
		err := fn(item)
		q.Done(item)
		if errors.Is(err, ErrStopWorker) {
			return
		}
		if err != nil {
			q.AddRateLimited(item)
			continue
		}
		q.Forget(item)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// RunWorkers is Process with the Done deferred in each worker.
func RunWorkers(q *Queue, workers int, fn func(item string) error) {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				item, shutdown := q.Get()
				if shutdown {
					return
				}
				err := fn(item)
				q.Done(item)
				if errors.Is(err, ErrStopWorker) {
					return
				}
				if err != nil {
					q.AddRateLimited(item)
					continue
				}
				q.Forget(item)
			}
		}()
	}
	wg.Wait()
}

// GetTimeout is Get that gives up after d.
func (q *Queue) GetTimeout(d time.Duration) (item string, ok bool) {
	ch := make(chan string)
	go func() {
		item, shutdown := q.Get()
		if shutdown {
			return
		}
		ch <- item // HAZ goroutine-blocked-send
	}()
	select {
	case item := <-ch:
		return item, true
	case <-time.After(d):
		return "", false
	}
}
