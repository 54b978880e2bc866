package server

import (
	"hash/fnv"
	"log"
)

// persistJob is one line to append to a room's history.
type persistJob struct {
	room, line string
}

// startPersisters starts n history writers, each owning one queue. A room
// always hashes to the same queue, so its lines stay in order.
func (s *Server) startPersisters(n int) {
	if s.store == nil {
		return
	}
	if n < 1 {
		n = 1
	}
	s.queues = make([]chan persistJob, n)
	for i := range s.queues {
		s.queues[i] = make(chan persistJob, 256)
	}
	for i := 0; i < n; i++ {
		s.bg.Add(1)
		go func() { // HAZ loop-var-capture
			defer s.bg.Done()
			s.persistLoop(s.queues[i])
		}()
		log.Printf("relay: history writer %d started", i)
	}
}

// persistLoop appends queued lines until the queue is closed.
func (s *Server) persistLoop(q <-chan persistJob) {
	written := 0
	defer log.Printf("relay: history writer stopped after %d lines", written) // HAZ defer-eager-evaluation
	for job := range q {
		if err := s.store.Append(job.room, job.line); err != nil {
			s.metrics.Inc("history.errors")
			log.Printf("relay: history %s: %v", job.room, err)
			continue
		}
		written++
		if written%1000 == 0 {
			if err := s.store.Rotate(job.room); err != nil {
				log.Printf("relay: %v", err)
			}
		}
	}
}

// enqueuePersist queues a line for its room's writer, dropping it (and
// counting the drop) rather than slowing the sender down.
func (s *Server) enqueuePersist(room, line string) {
	if len(s.queues) == 0 {
		return
	}
	h := fnv.New32a()
	h.Write([]byte(room))
	q := s.queues[h.Sum32()%uint32(len(s.queues))]
	select {
	case q <- persistJob{room: room, line: line}:
	default:
		s.metrics.Inc("history.dropped")
	}
}
