package server

import (
	"context"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// recoverConn is deferred by every connection handler so that a bug in one
// session cannot take the relay down.
func (s *Server) recoverConn(addr net.Addr) {
	if r := recover(); r != nil {
		atomic.AddInt64(&s.panics, 1)
		log.Printf("relay: panic serving %v: %v\n%s", addr, r, debug.Stack())
	}
}

// recoverTask is deferred by background tasks.
func (s *Server) recoverTask(task string) {
	if r := recover(); r != nil {
		atomic.AddInt64(&s.panics, 1)
		log.Printf("relay: task %s panicked: %v\n%s", task, r, debug.Stack())
	}
}

// logPanic reports a panic in a background loop.
func logPanic(task string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("relay: %s panicked: %v\n%s", task, r, debug.Stack())
	}
}

// housekeeping periodically reaps empty rooms, idle rate-limit buckets and
// clients that stopped reading, and rotates large logs.
func (s *Server) housekeeping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer func() {
		t.Stop()
		logPanic("housekeeping")
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.quit:
			return
		case <-t.C:
			if reaped := s.rooms.ReapEmpty(); len(reaped) > 0 {
				log.Printf("relay: reaped empty rooms %v", reaped)
			}
			s.limiter.Prune(10 * time.Minute)
			s.hub.Sweep(500)
			s.rotateAll()
		}
	}
}

// rotateAll rotates every room log that grew past the limit, one
// goroutine per room.
func (s *Server) rotateAll() {
	if s.store == nil {
		return
	}
	defer s.recoverTask("rotate")
	var wg sync.WaitGroup
	for _, name := range s.rooms.Names() {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			defer s.recoverTask("rotate " + name)
			if err := s.store.Rotate(name); err != nil {
				log.Printf("relay: %v", err)
			}
		}(name)
	}
	wg.Wait()
}
