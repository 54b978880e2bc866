package workqueue

import (
	"container/heap"
	"sync"
	"time"
)

type waitFor struct {
	item    string
	readyAt time.Time
}

type waitHeap []waitFor

func (h waitHeap) Len() int           { return len(h) }
func (h waitHeap) Less(i, j int) bool { return h[i].readyAt.Before(h[j].readyAt) }
func (h waitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }

func (h *waitHeap) Push(x any) { *h = append(*h, x.(waitFor)) }

func (h *waitHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	*h = old[:n-1]
	return x
}

// DelayingQueue is a Queue that can also add items after a delay.
type DelayingQueue struct {
	*Queue
	mu       sync.Mutex
	waiting  waitHeap
	stopped  bool
	wakeCh   chan struct{}
	stopCh   chan struct{}
	stopOnce sync.Once
	clock    func() time.Time
}

// NewDelayingQueue starts the goroutine that moves due items onto the queue; ShutDown stops it.
func NewDelayingQueue() *DelayingQueue {
	q := &DelayingQueue{
		Queue:  New(),
		wakeCh: make(chan struct{}, 1),
		stopCh: make(chan struct{}),
		clock:  time.Now,
	}
	go q.waitingLoop()
	return q
}

// AddAfter adds item once d has passed.
func (q *DelayingQueue) AddAfter(item string, d time.Duration) {
	if d <= 0 {
		q.Add(item)
		return
	}
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.stopped {
		return
	}
	heap.Push(&q.waiting, waitFor{item: item, readyAt: q.clock().Add(d)})
	q.mu.Unlock()
	q.wake()
}

// Pending returns how many delayed items are waiting.
func (q *DelayingQueue) Pending() int {
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		return 0
	}
	n := q.waiting.Len()
	q.mu.Unlock()
	return n
}

func (q *DelayingQueue) wake() {
	select {
	case q.wakeCh <- struct{}{}:
	default:
	}
}

// ShutDown stops the delay loop and the underlying queue. It is safe to call more than once.
func (q *DelayingQueue) ShutDown() {
	q.stopOnce.Do(func() {
		q.mu.Lock()
		q.stopped = true
		q.waiting = nil
		q.mu.Unlock()
		close(q.stopCh)
		q.Queue.ShutDown()
	})
}

// popReady moves every due item to the queue and returns the wait until the next one.
func (q *DelayingQueue) popReady() (time.Duration, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock()
	for q.waiting.Len() > 0 {
		next := q.waiting[0]
		if next.readyAt.After(now) {
			return next.readyAt.Sub(now), true
		}
		heap.Pop(&q.waiting)
		q.Queue.Add(next.item)
	}
	return 0, false
}

func (q *DelayingQueue) waitingLoop() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait, ok := q.popReady()
		if !ok {
			wait = time.Hour
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-q.stopCh:
			return
		case <-q.wakeCh:
		case <-timer.C:
		}
	}
}
