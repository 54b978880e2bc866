// Package scheduler contains the work queue, the node cache and the
// informers of the pod scheduler.
package scheduler

import (
	"context"
	"sync"
	"time"
)

// WorkQueue is a deduplicating FIFO with a processing set, in the style of
// client-go's workqueue: a key being processed that is re-added is queued
// again only after Done.
type WorkQueue struct {
	mu         sync.Mutex
	cond       *sync.Cond
	queue      []string
	dirty      map[string]bool
	processing map[string]bool
	shutdown   bool
}

// NewWorkQueue returns an empty queue.
func NewWorkQueue() *WorkQueue {
	q := &WorkQueue{dirty: map[string]bool{}, processing: map[string]bool{}}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Add enqueues key unless it is already waiting.
func (q *WorkQueue) Add(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown || q.dirty[key] {
		return
	}
	q.dirty[key] = true
	if q.processing[key] {
		return // ok: requeued by Done
	}
	q.queue = append(q.queue, key)
	q.cond.Signal()
}

// Get blocks until a key is available or the queue shuts down.
func (q *WorkQueue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.queue) == 0 && !q.shutdown {
		q.cond.Wait() // ok: loop re-checks the predicate
	}
	if len(q.queue) == 0 {
		return "", false
	}
	key := q.queue[0]
	q.queue = q.queue[1:]
	q.processing[key] = true
	delete(q.dirty, key)
	return key, true
}

// Done marks key as processed, requeueing it if it was re-added meanwhile.
func (q *WorkQueue) Done(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, key)
	if q.dirty[key] {
		q.queue = append(q.queue, key)
		q.cond.Signal()
	}
}

// ShutDown wakes all getters.
func (q *WorkQueue) ShutDown() {
	q.mu.Lock()
	q.shutdown = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// Len is the number of waiting keys.
func (q *WorkQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

// AddAfter adds key after d unless ctx ends first.
func (q *WorkQueue) AddAfter(ctx context.Context, key string, d time.Duration) {
	go func() {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			q.Add(key)
		case <-ctx.Done():
		}
	}()
}

// RateLimitedQueue wraps WorkQueue with per-key failure counts.
type RateLimitedQueue struct {
	*WorkQueue
	mu       sync.RWMutex
	failures map[string]int
	base     time.Duration
}

// NewRateLimitedQueue returns a queue with exponential per-key backoff.
func NewRateLimitedQueue(base time.Duration) *RateLimitedQueue {
	return &RateLimitedQueue{WorkQueue: NewWorkQueue(), failures: map[string]int{}, base: base}
}

// NumRequeues reports failures recorded for key.
func (r *RateLimitedQueue) NumRequeues(key string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.failures[key]
}

// When returns the backoff for key and records a failure.
func (r *RateLimitedQueue) When(key string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.failures[key]
	r.failures[key] = n + 1
	d := r.base << uint(n)
	if d > 5*time.Minute || d <= 0 {
		d = 5 * time.Minute
	}
	return d
}

// Forget clears the failure count.
func (r *RateLimitedQueue) Forget(key string) {
	r.mu.Lock()
	delete(r.failures, key)
	r.mu.Unlock()
}

// Tracked reports how many keys have failures.
func (r *RateLimitedQueue) Tracked() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.failures)
}

// AddRateLimited requeues key after its backoff.
func (r *RateLimitedQueue) AddRateLimited(ctx context.Context, key string) {
	r.AddAfter(ctx, key, r.When(key))
}

// Worker drains the queue with sync handlers until the queue shuts down.
func Worker(q *RateLimitedQueue, ctx context.Context, handle func(context.Context, string) error) {
	for {
		key, ok := q.Get()
		if !ok {
			return
		}
		processOne(ctx, q, key, handle)
	}
}

// processOne handles one key and marks it done; the handler's error
// decides whether it is requeued with backoff.
func processOne(ctx context.Context, q *RateLimitedQueue, key string, handle func(context.Context, string) error) {
	if err := handle(ctx, key); err != nil {
		q.AddRateLimited(ctx, key)
	} else {
		q.Forget(key)
	}
	q.Done(key)
}

// RunWorkers starts n workers and stops them when ctx ends. It returns once
// all workers exited.
func RunWorkers(ctx context.Context, n int, q *RateLimitedQueue, handle func(context.Context, string) error) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			Worker(q, ctx, handle)
		}()
	}
	<-ctx.Done()
	q.ShutDown()
	wg.Wait()
}
