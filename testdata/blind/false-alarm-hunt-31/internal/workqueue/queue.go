// Package workqueue is a deduplicating, rate-limited work queue with
// delayed adds and graceful shutdown, in the style of client-go's.
package workqueue

import (
	"log"
	"sync"
	"time"
)

// Metrics is a point-in-time copy of the queue counters.
type Metrics struct {
	Adds    int64
	Gets    int64
	Retries int64
	Depth   int
}

// Report logs the counters.
func (m Metrics) Report(logger *log.Logger) {
	logger.Printf("workqueue: adds=%d gets=%d retries=%d depth=%d", m.Adds, m.Gets, m.Retries, m.Depth)
}

// Queue hands out each key to one worker at a time.
type Queue struct {
	mu           sync.Mutex
	cond         *sync.Cond
	queue        []string
	dirty        map[string]struct{}
	processing   map[string]struct{}
	shuttingDown bool
	drain        bool
	stopCh       chan struct{}
	timers       sync.WaitGroup
	limiter      RateLimiter
	metrics      Metrics
}

// New returns a queue that uses limiter for AddRateLimited.
func New(limiter RateLimiter) *Queue {
	q := &Queue{
		dirty:      make(map[string]struct{}),
		processing: make(map[string]struct{}),
		stopCh:     make(chan struct{}),
		limiter:    limiter,
	}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Add marks item as needing processing.
func (q *Queue) Add(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return
	}
	if _, ok := q.dirty[item]; ok {
		return
	}
	q.metrics.Adds++
	q.dirty[item] = struct{}{}
	if _, ok := q.processing[item]; ok {
		return
	}
	q.queue = append(q.queue, item)
	q.cond.Signal()
}

// Get blocks until an item is available or the queue shuts down.
func (q *Queue) Get() (item string, shutdown bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.queue) == 0 && !q.shuttingDown {
		q.cond.Wait()
	}
	if len(q.queue) == 0 {
		return "", true
	}
	item, q.queue = q.queue[0], q.queue[1:]
	q.metrics.Gets++
	q.processing[item] = struct{}{}
	delete(q.dirty, item)
	return item, false
}

// Done marks item as processed; if it was re-added meanwhile it is queued again.
func (q *Queue) Done(item string) {
	q.mu.Lock()
	delete(q.processing, item)
	if _, dirty := q.dirty[item]; dirty {
		q.queue = append(q.queue, item)
		q.cond.Signal()
	} else if q.drain && len(q.processing) == 0 {
		q.cond.Broadcast()
	}
	q.mu.Unlock()
}

// Len returns the number of waiting items.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

// AddAfter adds item once d has elapsed, unless the queue shuts down first.
func (q *Queue) AddAfter(item string, d time.Duration) {
	if d <= 0 {
		q.Add(item)
		return
	}
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.shuttingDown {
		return
	}
	q.timers.Add(1)
	q.mu.Unlock()

	go func() {
		defer q.timers.Done()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			q.Add(item)
		case <-q.stopCh:
		}
	}()
}

// AddRateLimited re-adds item after the limiter's back-off.
func (q *Queue) AddRateLimited(item string) {
	q.mu.Lock()
	if q.shuttingDown {
		q.mu.Unlock()
		return
	}
	q.metrics.Retries++
	q.mu.Unlock()
	q.AddAfter(item, q.limiter.When(item))
}

// Forget clears the limiter's memory of item.
func (q *Queue) Forget(item string) { q.limiter.Forget(item) }

// NumRequeues reports how often item was rate-limited.
func (q *Queue) NumRequeues(item string) int { return q.limiter.NumRequeues(item) }

// Metrics returns a copy of the counters.
func (q *Queue) Metrics() Metrics {
	q.mu.Lock()
	defer q.mu.Unlock()
	m := q.metrics
	m.Depth = len(q.queue)
	return m
}

// ShuttingDown reports whether ShutDown was called.
func (q *Queue) ShuttingDown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shuttingDown
}

// ShutDown stops accepting items and wakes all waiting workers.
func (q *Queue) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return
	}
	q.shuttingDown = true
	close(q.stopCh)
	q.cond.Broadcast()
}

// ShutDownWithDrain is ShutDown that also waits for in-flight items and
// pending delayed adds. The lock is released before waiting on the timers.
func (q *Queue) ShutDownWithDrain() {
	q.mu.Lock()
	q.drain = true
	if !q.shuttingDown {
		q.shuttingDown = true
		close(q.stopCh)
	}
	q.cond.Broadcast()
	for len(q.processing) > 0 {
		q.cond.Wait()
	}
	q.mu.Unlock()
	q.timers.Wait()
}

// AddAll adds several items under one lock acquisition.
func (q *Queue) AddAll(items []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return
	}
	for _, it := range items {
		q.Add(it) // HAZ lock-reentry-under-defer
	}
}

// AddBatch adds several items, taking the lock once per item through Add.
func (q *Queue) AddBatch(items []string) int {
	if q.ShuttingDown() {
		return 0
	}
	for _, it := range items {
		q.Add(it)
	}
	return len(items)
}
