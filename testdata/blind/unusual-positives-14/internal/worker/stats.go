package worker

import (
	"context"
	"time"
)

// Snapshot is a point-in-time copy of the counters.
type Snapshot struct {
	Jobs     int64
	Failures int64
	Since    time.Time
}

// Stats owns its counters on a single goroutine; callers talk to it over
// channels, and queries carry their own reply channel.
type Stats struct {
	events  chan bool
	queries chan chan Snapshot
	quit    chan struct{}
	done    chan struct{}
}

// NewStats starts the counter goroutine.
func NewStats() *Stats {
	s := &Stats{
		events:  make(chan bool, 64),
		queries: make(chan chan Snapshot),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go s.loop()
	return s
}

func (s *Stats) loop() {
	defer close(s.done)
	snap := Snapshot{Since: time.Now()}
	for {
		select {
		case ok := <-s.events:
			snap.Jobs++
			if !ok {
				snap.Failures++
			}
		case reply := <-s.queries:
			reply <- snap // every reply channel has room for one value
		case <-s.quit:
			return
		}
	}
}

// Record counts one finished job.
func (s *Stats) Record(ok bool) {
	select {
	case s.events <- ok:
	case <-s.quit:
	}
}

// Query returns the current counters.
func (s *Stats) Query(ctx context.Context) (Snapshot, error) {
	reply := make(chan Snapshot, 1)
	select {
	case s.queries <- reply:
	case <-ctx.Done():
		return Snapshot{}, ctx.Err()
	}
	select {
	case snap := <-reply:
		return snap, nil
	case <-ctx.Done():
		return Snapshot{}, ctx.Err()
	}
}

// Close stops the counter goroutine and waits for it.
func (s *Stats) Close() {
	close(s.quit)
	<-s.done
}
