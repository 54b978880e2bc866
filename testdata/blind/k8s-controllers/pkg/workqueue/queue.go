// Package workqueue provides the de-duplicating, rate-limited work queue the
// controllers pull keys from.
package workqueue

import (
	"errors"
	"sync"
)

// ErrShuttingDown is returned by operations refused during shutdown.
var ErrShuttingDown = errors.New("workqueue: shutting down")

// Queue is a FIFO of keys with the usual controller guarantees: a key is
// queued at most once, and is never handed to two workers at the same time.
type Queue struct {
	mu           sync.Mutex
	cond         *sync.Cond
	queue        []string
	dirty        map[string]struct{}
	processing   map[string]struct{}
	shuttingDown bool
}

// New returns an empty queue.
func New() *Queue {
	q := &Queue{
		dirty:      map[string]struct{}{},
		processing: map[string]struct{}{},
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
	q.addLocked(item)
}

// addLocked enqueues item. q.mu must be held.
func (q *Queue) addLocked(item string) {
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

// AddBatch enqueues items atomically with respect to Get.
func (q *Queue) AddBatch(items []string) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.shuttingDown {
		return ErrShuttingDown
	}
	for _, it := range items {
		q.addLocked(it)
	}
	q.mu.Unlock()
	return nil
}

// AddIfAbsent enqueues item unless it is already waiting, and reports
// whether it did.
func (q *Queue) AddIfAbsent(item string) bool {
	q.mu.Lock()
	if q.shuttingDown {
		q.mu.Unlock()
		return false
	}
	_, queued := q.dirty[item]
	if !queued {
		q.addLocked(item)
	}
	q.mu.Unlock()
	return !queued
}

// Len returns the number of items waiting.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
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
	item = q.queue[0]
	q.queue[0] = ""
	q.queue = q.queue[1:]
	q.processing[item] = struct{}{}
	delete(q.dirty, item)
	return item, false
}

// Done marks item as processed; if it was re-added meanwhile it is queued
// again.
func (q *Queue) Done(item string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, item)
	if _, ok := q.dirty[item]; ok {
		q.queue = append(q.queue, item)
		q.cond.Signal()
	}
}

// ShutDown makes Get return shutdown=true once the queue is empty.
func (q *Queue) ShutDown() {
	q.mu.Lock()
	q.shuttingDown = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// ShuttingDown reports whether ShutDown was called.
func (q *Queue) ShuttingDown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shuttingDown
}
