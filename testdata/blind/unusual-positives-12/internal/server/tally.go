package server

import (
	"bufio"
	"context"
	"sync"
	"time"
)

// tally counts requests from in into s.handled until in is closed or stays
// idle for the given duration.
func (s *Server) tally(in <-chan request, idle time.Duration) int {
	n := 0
	s.mu.Lock() // HAZ lock-leaked-on-return
	for {
		select {
		case req, ok := <-in:
			if !ok {
				s.mu.Unlock()
				return n
			}
			s.handled[req.id]++
			n++
		case <-time.After(idle):
			return n
		}
	}
}

// tallyBatched locks per request and never holds the lock across a wait.
func (s *Server) tallyBatched(in <-chan request, idle time.Duration) int {
	n := 0
	for {
		select {
		case req, ok := <-in:
			if !ok {
				return n
			}
			s.mu.Lock()
			s.handled[req.id]++
			s.mu.Unlock()
			n++
		case <-time.After(idle):
			return n
		}
	}
}

// fanIn stores requests from every input until all inputs are closed or
// ctx ends.
func (s *Server) fanIn(ctx context.Context, ins []<-chan request) {
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in <-chan request) {
			for {
				select {
				case <-ctx.Done():
					return
				case req, ok := <-in:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					s.cache.PutMany(map[string][]byte{req.id: req.body}, time.Minute)
				}
			}
		}(in)
	}
	wg.Wait()
}

// fanInAll is fanIn with the Done deferred at the top of each goroutine.
func (s *Server) fanInAll(ctx context.Context, ins []<-chan request) {
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in <-chan request) {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case req, ok := <-in:
					if !ok {
						return
					}
					s.cache.PutMany(map[string][]byte{req.id: req.body}, time.Minute)
				}
			}
		}(in)
	}
	wg.Wait()
}

// sendBatchBuffered writes one batch through a buffered writer.
func (s *Server) sendBatchBuffered(ctx context.Context, b batch) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	return b.writeTo(bw)
}

// sendBatchFlushed flushes explicitly and checks it before the deferred
// close of the connection.
func (s *Server) sendBatchFlushed(ctx context.Context, b batch) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	if err := b.writeTo(bw); err != nil {
		return err
	}
	return bw.Flush()
}
