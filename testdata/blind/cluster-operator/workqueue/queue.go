package workqueue

import (
	"context"
	"sync"
	"time"

	"example.com/operator/internal/runtimeutil"
)

// Queue hands out string keys to workers. A key is never processed by two
// workers at once; a key added while it is processed is queued again when
// the worker calls Done.
type Queue struct {
	mu           sync.Mutex
	cond         *sync.Cond
	items        []string
	dirty        map[string]struct{}
	processing   map[string]struct{}
	shuttingDown bool

	limiter  RateLimiter
	stopCh   chan struct{}
	stopOnce sync.Once
	delayed  sync.WaitGroup
}

// New returns a queue that uses limiter for AddRateLimited.
func New(limiter RateLimiter) *Queue {
	q := &Queue{
		dirty:      make(map[string]struct{}),
		processing: make(map[string]struct{}),
		limiter:    limiter,
		stopCh:     make(chan struct{}),
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
	q.dirty[item] = struct{}{}
	if _, ok := q.processing[item]; ok {
		return
	}
	q.items = append(q.items, item)
	q.cond.Signal()
}

// Get blocks until an item is available. shutdown is true once the queue
// is shut down and drained.
func (q *Queue) Get() (item string, shutdown bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.shuttingDown {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", true
	}
	item = q.items[0]
	q.items[0] = ""
	q.items = q.items[1:]
	q.processing[item] = struct{}{}
	delete(q.dirty, item)
	return item, false
}

// Done marks item as processed, re-queueing it if it was added meanwhile.
func (q *Queue) Done(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, item)
	if _, ok := q.dirty[item]; ok {
		q.items = append(q.items, item)
		q.cond.Signal()
		return
	}
	if len(q.processing) == 0 {
		q.cond.Broadcast()
	}
}

// Len returns the number of items waiting to be handed out.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// AddAfter adds item once d has passed, unless the queue shuts down first.
func (q *Queue) AddAfter(item string, d time.Duration) {
	if d <= 0 {
		q.Add(item)
		return
	}
	q.mu.Lock()
	if q.shuttingDown {
		q.mu.Unlock()
		return
	}
	q.delayed.Add(1)
	q.mu.Unlock()

	go func() {
		defer q.delayed.Done()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			q.Add(item)
		case <-q.stopCh:
		}
	}()
}

// AddRateLimited adds item after the delay its rate limiter asks for.
func (q *Queue) AddRateLimited(item string) {
	q.AddAfter(item, q.limiter.When(item))
}

// Forget tells the rate limiter that item succeeded.
func (q *Queue) Forget(item string) { q.limiter.Forget(item) }

// NumRequeues returns how often item was rate-limited since it was last
// forgotten.
func (q *Queue) NumRequeues(item string) int { return q.limiter.NumRequeues(item) }

// ShutDown stops the queue: Get returns shutdown once the remaining items
// are handed out, and pending AddAfter timers are cancelled.
func (q *Queue) ShutDown() {
	q.mu.Lock()
	q.shuttingDown = true
	q.cond.Broadcast()
	q.mu.Unlock()
	q.stopOnce.Do(func() { close(q.stopCh) })
	q.delayed.Wait()
}

// ShutDownWithDrain stops accepting new items and waits until every item
// handed out by Get has been marked Done.
func (q *Queue) ShutDownWithDrain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.delayed.Wait() // HAZ defer-blocking-call
	q.shuttingDown = true
	q.cond.Broadcast()
	for len(q.processing) > 0 {
		q.cond.Wait()
	}
	q.stopOnce.Do(func() { close(q.stopCh) })
}

// ParallelizeUntil runs doWorkPiece for every index in [0, pieces) on at
// most workers goroutines and returns when all pieces are done or ctx is
// cancelled.
func ParallelizeUntil(ctx context.Context, workers, pieces int, doWorkPiece func(piece int)) {
	if pieces <= 0 || workers <= 0 {
		return
	}
	toProcess := make(chan int, pieces)
	for i := range pieces {
		toProcess <- i
	}
	close(toProcess)

	workers = min(workers, pieces)
	var wg sync.WaitGroup
	wg.Add(workers)
	for range workers {
		go func() {
			defer runtimeutil.HandleCrash()
			defer wg.Done()
			for piece := range toProcess {
				select {
				case <-ctx.Done():
					return
				default:
					doWorkPiece(piece)
				}
			}
		}()
	}
	wg.Wait()
}
