package controller

import (
	"errors"
	"sync"
	"time"
)

// ErrShuttingDown is returned by queue operations after ShutDown.
var ErrShuttingDown = errors.New("workqueue: shutting down")

// Queue is a rate-limited work queue keyed by object key. An item is never
// handed to two workers at once: an item added while it is being processed is
// parked in dirty and put back on the queue by Done.
type Queue struct {
	mu         sync.Mutex
	cond       *sync.Cond
	queue      []string
	dirty      map[string]struct{}
	processing map[string]struct{}
	failures   map[string]int
	waiting    int
	shutting   bool
	drain      bool

	limiter    RateLimiter
	maxRetries int
}

// NewQueue returns an empty queue that backs off failed items with limiter and
// drops them after maxRetries consecutive failures.
func NewQueue(limiter RateLimiter, maxRetries int) *Queue {
	q := &Queue{
		dirty:      make(map[string]struct{}),
		processing: make(map[string]struct{}),
		failures:   make(map[string]int),
		limiter:    limiter,
		maxRetries: maxRetries,
	}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Add marks item as needing processing.
func (q *Queue) Add(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.addLocked(item)
}

// addLocked must be called with q.mu held.
func (q *Queue) addLocked(item string) {
	if q.shutting {
		return
	}
	if _, ok := q.dirty[item]; ok {
		return
	}
	q.dirty[item] = struct{}{}
	if _, ok := q.processing[item]; ok {
		return
	}
	q.queue = append(q.queue, item)
	q.cond.Signal()
}

// AddBatch adds several items under a single lock acquisition.
func (q *Queue) AddBatch(items []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range items {
		q.addLocked(it) // ok: the Locked variant does not take q.mu
	}
}

// Get blocks until an item is available. The second result is true once the
// queue has been shut down and drained.
func (q *Queue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.queue) == 0 && !q.shutting {
		q.cond.Wait()
	}
	if len(q.queue) == 0 {
		return "", true
	}
	item := q.queue[0]
	q.queue[0] = ""
	q.queue = q.queue[1:]
	q.processing[item] = struct{}{}
	delete(q.dirty, item)
	return item, false
}

// Done marks item as processed. If it was re-added while being processed it
// goes back on the queue.
func (q *Queue) Done(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, item)
	if _, ok := q.dirty[item]; ok {
		q.queue = append(q.queue, item)
		q.cond.Signal()
		return
	}
	if q.drain && len(q.processing) == 0 {
		q.cond.Broadcast()
	}
}

// Len is the number of items waiting to be picked up.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

// Forget clears the failure history of item after a successful sync.
func (q *Queue) Forget(item string) {
	q.mu.Lock()
	delete(q.failures, item)
	q.mu.Unlock()
	q.limiter.Forget(item)
}

// AddRateLimited re-adds item once the limiter says it may run again.
func (q *Queue) AddRateLimited(item string) {
	d := q.limiter.When(item)
	q.mu.Lock()
	if q.shutting {
		q.mu.Unlock() // ok: released before the early return
		return
	}
	q.waiting++
	q.mu.Unlock()
	time.AfterFunc(d, func() {
		q.mu.Lock()
		q.waiting--
		q.addLocked(item)
		q.mu.Unlock()
	})
}

// AddAfter adds item after the given delay.
func (q *Queue) AddAfter(item string, d time.Duration) error {
	if d <= 0 {
		q.Add(item)
		return nil
	}
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.shutting {
		return ErrShuttingDown
	}
	q.waiting++
	q.mu.Unlock()
	time.AfterFunc(d, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.waiting--
		q.addLocked(item)
	})
	return nil
}

// Retry records a failure for item. It requeues the item (at once on the
// first failure, with backoff afterwards) and reports whether it will be
// retried at all.
func (q *Queue) Retry(item string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.failures[item] + 1
	q.failures[item] = n
	if n > q.maxRetries {
		delete(q.failures, item)
		q.limiter.Forget(item)
		return false
	}
	if n == 1 {
		q.Add(item) // HAZ lock-reentry-under-defer
		return true
	}
	d := q.limiter.When(item)
	time.AfterFunc(d, func() { q.Add(item) }) // ok: runs on the timer goroutine after Retry has unlocked
	return true
}

// NumRequeues reports how many consecutive failures item has had.
func (q *Queue) NumRequeues(item string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.failures[item]
}

// ShutDown makes Get return immediately once the queue is empty.
func (q *Queue) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutting = true
	q.cond.Broadcast()
}

// ShutDownWithDrain shuts the queue down and waits until every item that was
// handed out has been marked Done.
func (q *Queue) ShutDownWithDrain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutting = true
	q.drain = true
	q.cond.Broadcast()
	for len(q.processing) > 0 {
		q.cond.Wait() // ok: Wait releases q.mu while sleeping
	}
}
