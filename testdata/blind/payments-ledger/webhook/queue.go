package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"runtime/debug"
	"sync"
)

// ErrQueueClosed is returned by Enqueue after Close.
var ErrQueueClosed = errors.New("webhook: queue closed")

// Queue delivers events asynchronously with a fixed pool of workers.
type Queue struct {
	d           *Deliverer
	log         *log.Logger
	events      chan Event
	maxAttempts int
	wg          sync.WaitGroup

	mu     sync.RWMutex
	closed bool
}

// NewQueue returns a queue buffering up to size events.
func NewQueue(d *Deliverer, size int, logger *log.Logger) *Queue {
	return &Queue{d: d, log: logger, events: make(chan Event, size), maxAttempts: d.maxAttempts}
}

// Enqueue adds ev to the queue, waiting for room until ctx ends.
func (q *Queue) Enqueue(ctx context.Context, ev Event) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrQueueClosed
	}
	select {
	case q.events <- ev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start launches n workers that run until ctx ends or the queue is closed.
func (q *Queue) Start(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		q.wg.Add(1)
		go q.worker(ctx)
	}
}

func (q *Queue) worker(ctx context.Context) {
	defer q.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-q.events:
			if !ok {
				return
			}
			q.handle(ctx, ev)
		}
	}
}

// handle delivers one event with up to maxAttempts attempts.
func (q *Queue) handle(ctx context.Context, ev Event) {
	defer q.recoverEvent(ev)
	for attempt := 1; attempt <= q.maxAttempts; attempt++ {
		err := q.d.Attempt(ctx, ev, attempt)
		if err == nil {
			return
		}
		if errors.Is(err, ErrNoEndpoint) || ctx.Err() != nil {
			break
		}
	}
	q.log.Printf("webhook: dropping %s for %s", ev.ID, ev.MerchantID)
}

// recoverEvent keeps a worker alive when delivering one event panics.
func (q *Queue) recoverEvent(ev Event) {
	if r := recover(); r != nil {
		q.log.Printf("webhook: panic delivering %s: %v\n%s", ev.ID, r, debug.Stack())
	}
}

// Close stops accepting events and waits for the workers to drain the queue.
func (q *Queue) Close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	close(q.events)
	q.mu.Unlock()
	q.wg.Wait()
}

// Spool writes the events still waiting in the queue to w as JSON lines,
// without blocking, and reports how many it wrote.
func (q *Queue) Spool(w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	n := 0
	for {
		select {
		case ev, ok := <-q.events:
			if !ok {
				return n, nil
			}
			if err := enc.Encode(ev); err != nil {
				return n, err
			}
			n++
		default:
			return n, nil
		}
	}
}
