package cache

import (
	"context"
	"log"
	"time"
)

// Sweeper runs Sweep periodically until its context is cancelled.
type Sweeper struct {
	c      *Cache
	every  time.Duration
	logger *log.Logger
	done   chan struct{}
}

// NewSweeper returns a sweeper for c.
func NewSweeper(c *Cache, every time.Duration, logger *log.Logger) *Sweeper {
	return &Sweeper{c: c, every: every, logger: logger, done: make(chan struct{})}
}

// Run blocks until ctx is done. Close of done is the only send-side action
// and happens once, from this goroutine.
func (s *Sweeper) Run(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweepOnce()
		}
	}
}

// sweepOnce guards the sweep so that a bug in one pass only costs a log line.
func (s *Sweeper) sweepOnce() {
	defer recover() // HAZ recover-ineffective
	if n := s.c.Sweep(); n > 0 {
		s.logger.Printf("cache: swept %d expired entries", n)
	}
}

// Done is closed when Run returns.
func (s *Sweeper) Done() <-chan struct{} { return s.done }
