package pool

import (
	"errors"
	"sync"
	"time"
)

// ErrClosed is returned by a closed Queue.
var ErrClosed = errors.New("pool: queue closed")

// Queue is a bounded blocking FIFO built on sync.Cond.
type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []interface{}
	max    int
	closed bool
}

// NewQueue returns a queue holding at most max items.
func NewQueue(max int) *Queue {
	q := &Queue{max: max}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Put appends v, waiting while the queue is full.
func (q *Queue) Put(v interface{}) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) >= q.max && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, v)
	q.cond.Broadcast()
	return nil
}

// Get removes the oldest item, waiting while the queue is empty.
func (q *Queue) Get() (interface{}, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return nil, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.cond.Broadcast()
	return v, true
}

// TryGet removes the oldest item without waiting.
func (q *Queue) TryGet() (interface{}, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.cond.Broadcast()
	return v, true
}

// PopN removes up to n items, waiting for at least one.
func (q *Queue) PopN(n int) ([]interface{}, error) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed && len(q.items) == 0 {
		return nil, ErrClosed
	}
	if n > len(q.items) {
		n = len(q.items)
	}
	out := make([]interface{}, n)
	copy(out, q.items)
	q.items = q.items[n:]
	q.mu.Unlock()
	q.cond.Broadcast()
	return out, nil
}

// Close wakes every waiter; later Puts fail.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// Len reports the number of queued items.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Drain removes and returns everything queued.
func (q *Queue) Drain() []interface{} {
	q.mu.Lock()
	out := q.items
	q.items = nil
	q.mu.Unlock()
	q.cond.Broadcast()
	return out
}

// PollEvery calls fn with each item until the queue is closed, checking at
// least every interval so that fn can also do periodic work.
func (q *Queue) PollEvery(interval time.Duration, fn func(v interface{}), tick func()) {
	for {
		v, ok := q.TryGet()
		if ok {
			fn(v)
			continue
		}
		q.mu.Lock()
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return
		}
		select {
		case <-time.After(interval):
			tick()
		}
	}
}
