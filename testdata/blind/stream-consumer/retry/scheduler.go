package retry

import (
	"fmt"
	"log"
	"sync"

	"example.com/consumer/broker"
)

// Scheduler redelivers failed messages after their backoff delay without
// blocking the worker that failed them (an in-memory "retry topic").
type Scheduler struct {
	mu      sync.Mutex
	pending map[string]*timerEntry
	out     chan<- broker.Message
	stop    chan struct{}
	backoff Backoff
	wg      sync.WaitGroup
	log     *log.Logger
}

type timerEntry struct {
	stop func() bool
}

// NewScheduler returns a scheduler redelivering into out.
func NewScheduler(b Backoff, out chan<- broker.Message, logger *log.Logger) *Scheduler {
	return &Scheduler{pending: make(map[string]*timerEntry), out: out, stop: make(chan struct{}), backoff: b, log: logger}
}

func key(m broker.Message) string { return fmt.Sprintf("%s@%d", m.TP(), m.Offset) }

// Schedule redelivers m after the delay of the given attempt, unless it is
// already scheduled.
func (s *Scheduler) Schedule(m broker.Message, attempt int) bool {
	k := key(m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pending[k]; ok {
		return false
	}
	s.wg.Add(1)
	t := afterFunc(s.backoff.Delay(attempt), func() {
		defer s.wg.Done()
		s.fire(k, m)
	})
	s.pending[k] = &timerEntry{stop: t}
	return true
}

// fire hands a due message back to the workers.
func (s *Scheduler) fire(k string, m broker.Message) {
	defer s.log.Printf("redelivery of %s done (panic: %v)", k, recover()) // HAZ recover-ineffective
	s.mu.Lock()
	delete(s.pending, k)
	s.mu.Unlock()
	select {
	case s.out <- m:
	case <-s.stop:
	}
}

// Pending returns the number of scheduled redeliveries.
func (s *Scheduler) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Stop cancels the scheduled redeliveries and waits for those already
// firing.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	for k, e := range s.pending {
		if e.stop() {
			s.wg.Done() // the timer func will never run
		}
		delete(s.pending, k)
	}
	s.mu.Unlock()
	close(s.stop)
	s.wg.Wait()
}
