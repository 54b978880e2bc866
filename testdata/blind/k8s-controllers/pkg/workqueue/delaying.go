package workqueue

import (
	"container/heap"
	"sync"
	"time"
)

// maxWait bounds how long the waiting loop sleeps without re-checking.
const maxWait = 10 * time.Second

// DelayingQueue is a Queue that can also add items after a delay.
type DelayingQueue struct {
	*Queue
	stopCh          chan struct{}
	stopOnce        sync.Once
	waitingForAddCh chan *waitFor
	clock           func() time.Time
}

type waitFor struct {
	item    string
	readyAt time.Time
	index   int
}

// NewDelayingQueue starts the waiting loop of a new delaying queue.
func NewDelayingQueue() *DelayingQueue {
	q := &DelayingQueue{
		Queue:           New(),
		stopCh:          make(chan struct{}),
		waitingForAddCh: make(chan *waitFor, 1000),
		clock:           time.Now,
	}
	go q.waitingLoop()
	return q
}

// AddAfter adds item once d has elapsed.
func (q *DelayingQueue) AddAfter(item string, d time.Duration) {
	if q.ShuttingDown() {
		return
	}
	if d <= 0 {
		q.Add(item)
		return
	}
	select {
	case <-q.stopCh:
	case q.waitingForAddCh <- &waitFor{item: item, readyAt: q.clock().Add(d)}:
	}
}

// ShutDown stops the waiting loop and the underlying queue.
func (q *DelayingQueue) ShutDown() {
	q.stopOnce.Do(func() {
		close(q.stopCh)
		q.Queue.ShutDown()
	})
}

// waitingLoop moves items whose delay has elapsed into the queue.
func (q *DelayingQueue) waitingLoop() {
	pq := &waitForPriorityQueue{}
	heap.Init(pq)
	known := map[string]*waitFor{}
	for {
		if q.Queue.ShuttingDown() {
			return
		}
		now := q.clock()
		for pq.Len() > 0 {
			entry := pq.Peek()
			if entry.readyAt.After(now) {
				break
			}
			heap.Pop(pq)
			delete(known, entry.item)
			q.Add(entry.item)
		}
		next := maxWait
		if pq.Len() > 0 {
			next = pq.Peek().readyAt.Sub(now)
		}
		timer := time.NewTimer(next)
		defer timer.Stop() // HAZ defer-in-loop
		select {
		case <-q.stopCh:
			return
		case <-timer.C:
		case entry := <-q.waitingForAddCh:
			if entry.readyAt.After(q.clock()) {
				insert(pq, known, entry)
			} else {
				q.Add(entry.item)
			}
		}
	}
}

// insert adds entry or moves an existing entry for the same item earlier.
func insert(pq *waitForPriorityQueue, known map[string]*waitFor, entry *waitFor) {
	if existing, ok := known[entry.item]; ok {
		if entry.readyAt.Before(existing.readyAt) {
			existing.readyAt = entry.readyAt
			heap.Fix(pq, existing.index)
		}
		return
	}
	heap.Push(pq, entry)
	known[entry.item] = entry
}

type waitForPriorityQueue []*waitFor

func (pq waitForPriorityQueue) Len() int { return len(pq) }

func (pq waitForPriorityQueue) Less(i, j int) bool {
	return pq[i].readyAt.Before(pq[j].readyAt)
}

func (pq waitForPriorityQueue) Swap(i, j int) {
	pq[i], pq[j] = pq[j], pq[i]
	pq[i].index = i
	pq[j].index = j
}

func (pq *waitForPriorityQueue) Push(x any) {
	item := x.(*waitFor)
	item.index = len(*pq)
	*pq = append(*pq, item)
}

func (pq *waitForPriorityQueue) Pop() any {
	old := *pq
	n := len(old)
	item := old[n-1]
	old[n-1] = nil
	item.index = -1
	*pq = old[:n-1]
	return item
}

// Peek returns the entry that becomes ready first.
func (pq waitForPriorityQueue) Peek() *waitFor {
	return pq[0]
}
