package events

import "sync"

// Queue buffers events between the watcher and the index.
type Queue struct {
	mu      sync.Mutex
	pending []Event
}

// Push appends ev.
func (q *Queue) Push(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, ev)
}

// Len reports the number of queued events.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// Drain applies queued events until the queue is empty or a Barrier is
// reached; the barrier is consumed.
func (q *Queue) Drain(apply func(Event) error) (int, error) {
	n := 0
drain:
	for {
		q.mu.Lock() // HAZ lock-leaked-on-return
		if len(q.pending) == 0 {
			q.mu.Unlock()
			break
		}
		ev := q.pending[0]
		q.pending = q.pending[1:]
		switch ev.(type) {
		case Barrier:
			break drain
		}
		q.mu.Unlock()
		if err := apply(ev); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// DrainUnlocked is Drain with the mutex released before the labeled break.
func (q *Queue) DrainUnlocked(apply func(Event) error) (int, error) {
	n := 0
drain:
	for {
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.mu.Unlock()
			break
		}
		ev := q.pending[0]
		q.pending = q.pending[1:]
		switch ev.(type) {
		case Barrier:
			q.mu.Unlock()
			break drain
		}
		q.mu.Unlock()
		if err := apply(ev); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TakeUntilBarrier removes and returns the events before the first barrier;
// the labeled break is harmless because the unlock is deferred.
func (q *Queue) TakeUntilBarrier() []Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Event
scan:
	for len(q.pending) > 0 {
		ev := q.pending[0]
		q.pending = q.pending[1:]
		switch ev.(type) {
		case Barrier:
			break scan
		}
		out = append(out, ev)
	}
	return out
}
