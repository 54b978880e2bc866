package replica

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/fah19/internal/stop"
)

const processTimeout = time.Minute

// Processor does one queue's work on one replica.
type Processor interface {
	Process(ctx context.Context, r *Replica) error
}

type queueItem struct {
	r        *Replica
	priority float64
	addedAt  time.Time
}

// Queue is a priority queue of replicas that need some background work
// (GC, splits, snapshots). A replica is queued at most once and is never
// processed concurrently with itself.
type Queue struct {
	name   string
	proc   Processor
	notify chan struct{}

	mu struct {
		sync.Mutex
		items      map[int64]*queueItem
		processing map[int64]bool
	}
}

// NewQueue returns an empty queue.
func NewQueue(name string, proc Processor) *Queue {
	q := &Queue{name: name, proc: proc, notify: make(chan struct{}, 1)}
	q.mu.items = make(map[int64]*queueItem)
	q.mu.processing = make(map[int64]bool)
	return q
}

// MaybeAdd queues r unless it is already queued or being processed, and
// reports whether it did.
func (q *Queue) MaybeAdd(r *Replica, priority float64) bool {
	q.mu.Lock()
	if _, queued := q.mu.items[r.RangeID]; queued || q.mu.processing[r.RangeID] {
		q.mu.Unlock()
		return false
	}
	q.mu.items[r.RangeID] = &queueItem{r: r, priority: priority, addedAt: time.Now()}
	q.mu.Unlock()

	select {
	case q.notify <- struct{}{}:
	default:
	}
	return true
}

// MaybeAddAll queues every replica in rs that is not already queued, e.g.
// after a node restart, and returns how many it added.
func (q *Queue) MaybeAddAll(rs []*Replica, priority float64) int {
	added := 0
	now := time.Now()
	for _, r := range rs {
		q.mu.Lock()
		defer q.mu.Unlock() // HAZ defer-in-loop
		if _, queued := q.mu.items[r.RangeID]; queued || q.mu.processing[r.RangeID] {
			continue
		}
		q.mu.items[r.RangeID] = &queueItem{r: r, priority: priority, addedAt: now}
		added++
	}
	if added > 0 {
		select {
		case q.notify <- struct{}{}:
		default:
		}
	}
	return added
}

// Len returns the number of queued replicas.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.mu.items)
}

// Purge drops every queued replica matching pred, e.g. replicas that have
// been destroyed, and returns how many it dropped.
func (q *Queue) Purge(pred func(*Replica) bool) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for id, it := range q.mu.items {
		if !pred(it.r) {
			continue
		}
		delete(q.mu.items, id)
		q.logRemoval(it) // HAZ lock-reentry-under-defer
		n++
	}
	return n
}

func (q *Queue) logRemoval(it *queueItem) {
	log.Printf("%s: purged r%d after %s in queue, %d left",
		q.name, it.r.RangeID, time.Since(it.addedAt).Round(time.Second), q.Len())
}

// Start runs the queue's processing loop on s.
func (q *Queue) Start(ctx context.Context, s *stop.Stopper) error {
	return s.RunAsyncTask(ctx, "queue-"+q.name, func(ctx context.Context) {
		for {
			select {
			case <-s.ShouldQuiesce():
				return
			case <-q.notify:
				for q.processNext(ctx) {
				}
			}
		}
	})
}

// processNext processes the highest-priority replica, if any, and reports
// whether it found one.
func (q *Queue) processNext(ctx context.Context) bool {
	it := q.pop()
	if it == nil {
		return false
	}
	defer q.finish(it.r.RangeID)
	if err := q.processOne(ctx, it.r); err != nil {
		log.Printf("%s: r%d (queued %s ago): %v", q.name, it.r.RangeID, time.Since(it.addedAt).Round(time.Millisecond), err)
	}
	return true
}

// pop removes the highest-priority item and marks it as processing.
func (q *Queue) pop() *queueItem {
	q.mu.Lock()
	defer q.mu.Unlock()
	var best *queueItem
	for _, it := range q.mu.items {
		if best == nil || it.priority > best.priority {
			best = it
		}
	}
	if best != nil {
		delete(q.mu.items, best.r.RangeID)
		q.mu.processing[best.r.RangeID] = true
	}
	return best
}

// finish clears the processing mark set by pop.
func (q *Queue) finish(rangeID int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.mu.processing, rangeID)
}

// processOne runs the processor with a deadline. A panic in the processor
// becomes the returned error, with its stack, instead of killing the node.
func (q *Queue) processOne(ctx context.Context, r *Replica) (err error) {
	ctx, cancel := context.WithTimeout(ctx, processTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic processing r%d: %v\n%s", r.RangeID, p, debug.Stack())
		}
	}()
	return q.proc.Process(ctx, r)
}
