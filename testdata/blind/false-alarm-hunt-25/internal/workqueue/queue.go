// Package workqueue is a de-duplicating work queue with processing bookkeeping,
// delayed adds, rate limiting and graceful shutdown.
package workqueue

import "sync"

// Interface is what the controllers need from a queue.
type Interface interface {
	Add(item string)
	Get() (item string, shutdown bool)
	Done(item string)
	Len() int
	ShutDown()
	ShuttingDown() bool
}

// Queue guarantees that an item is processed by at most one worker at a time:
// an item added while it is being processed is re-queued when Done is called.
type Queue struct {
	cond         *sync.Cond
	queue        []string
	dirty        map[string]struct{}
	processing   map[string]struct{}
	shuttingDown bool
	drain        bool
}

// New returns an empty queue.
func New() *Queue {
	return &Queue{
		cond:       sync.NewCond(&sync.Mutex{}),
		dirty:      make(map[string]struct{}),
		processing: make(map[string]struct{}),
	}
}

// Add marks item as needing processing.
func (q *Queue) Add(item string) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
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
	q.queue = append(q.queue, item)
	q.cond.Signal()
}

// AddBatch adds several items under one lock acquisition.
func (q *Queue) AddBatch(items []string) {
	q.cond.L.Lock() // HAZ lock-leaked-on-return
	for _, item := range items {
		if item == "" {
			panic("workqueue: empty item in batch")
		}
		if q.shuttingDown {
			break
		}
		if _, ok := q.dirty[item]; ok {
			continue
		}
		q.dirty[item] = struct{}{}
		if _, ok := q.processing[item]; !ok {
			q.queue = append(q.queue, item)
		}
	}
	q.cond.L.Unlock()
	q.cond.Broadcast()
}

// AddAll is AddBatch that skips empty items instead of rejecting the batch.
func (q *Queue) AddAll(items []string) int {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	added := 0
	for _, item := range items {
		if item == "" || q.shuttingDown {
			continue
		}
		if _, ok := q.dirty[item]; ok {
			continue
		}
		q.dirty[item] = struct{}{}
		if _, ok := q.processing[item]; !ok {
			q.queue = append(q.queue, item)
			added++
		}
	}
	q.cond.Broadcast()
	return added
}

// Len returns the number of items waiting to be processed.
func (q *Queue) Len() int {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	return len(q.queue)
}

// Get blocks until an item is available or the queue shuts down.
func (q *Queue) Get() (string, bool) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	for len(q.queue) == 0 && !q.shuttingDown {
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

// Done marks item as processed; if it was added meanwhile it goes back on the queue.
func (q *Queue) Done(item string) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	delete(q.processing, item)
	if _, ok := q.dirty[item]; ok {
		q.queue = append(q.queue, item)
		q.cond.Signal()
	} else if len(q.processing) == 0 {
		q.cond.Broadcast()
	}
}

// ShutDown makes Get return shutdown=true once the queue is empty; new adds are ignored.
func (q *Queue) ShutDown() {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.drain = false
	q.shuttingDown = true
	q.cond.Broadcast()
}

// ShutDownWithDrain is ShutDown that also waits for every item in processing to be Done.
func (q *Queue) ShutDownWithDrain() {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.drain = true
	q.shuttingDown = true
	q.cond.Broadcast()
	for q.drain && len(q.processing) > 0 {
		q.cond.Wait()
	}
}

// ShuttingDown reports whether ShutDown was called.
func (q *Queue) ShuttingDown() bool {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	return q.shuttingDown
}
