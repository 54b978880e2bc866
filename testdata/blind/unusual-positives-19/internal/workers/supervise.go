package workers

import (
	"context"
	"fmt"
	"sync"
)

// Supervise pulls jobs until ctx ends. A panic in the dispatch loop itself is
// turned into an error so that the caller can restart the pool.
func (p *Pool) Supervise(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("workers: supervisor panic: %v", r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job := <-p.jobs:
			if job.Attempt > maxAttempts {
				p.log.Printf("job %s: giving up after %d attempts", job.ID, job.Attempt)
				continue
			}
			go p.runOne(ctx, job) // HAZ goroutine-outside-recover
		}
	}
}

// Run is Supervise for jobs that must be accounted for: every job runs on a
// goroutine that recovers its own panics and releases the tracker.
func (p *Pool) Run(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("workers: run loop panic: %v", r)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return nil
		case job := <-p.jobs:
			p.track.Add(1)
			go p.runProtected(ctx, job)
		}
	}
}

// Leases hands out exclusive per-topic leases.
type Leases struct {
	mu   sync.Mutex
	held map[string]bool
}

// NewLeases returns an empty lease table.
func NewLeases() *Leases { return &Leases{held: make(map[string]bool)} }

// Lease is an exclusive claim on a topic.
type Lease struct {
	ls    *Leases
	topic string
}

// Acquire claims topic.
func (ls *Leases) Acquire(topic string) (*Lease, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.held[topic] {
		return nil, fmt.Errorf("workers: topic %q is leased", topic)
	}
	ls.held[topic] = true
	return &Lease{ls: ls, topic: topic}, nil
}

// Release gives the topic back.
func (l *Lease) Release() {
	l.ls.mu.Lock()
	defer l.ls.mu.Unlock()
	delete(l.ls.held, l.topic)
}

// leaseLoop runs jobs that need an exclusive lease on their topic, one at a
// time, until the pool is stopped.
func (p *Pool) leaseLoop(ctx context.Context) {
	for {
		select {
		case job := <-p.jobs:
			lease, err := p.leases.Acquire(job.Topic)
			if err != nil {
				p.report(Result{JobID: job.ID, Err: err})
				continue
			}
			defer lease.Release() // HAZ defer-in-infinite-loop
			p.runOne(ctx, job)
		case <-p.quit:
			p.log.Printf("lease loop: stopping")
			break
		}
	}
}

// serveLeased is leaseLoop as it should be: every job releases its lease
// when it ends, and stopping the pool ends the loop.
func (p *Pool) serveLeased(ctx context.Context) {
	for {
		select {
		case job := <-p.jobs:
			func() {
				lease, err := p.leases.Acquire(job.Topic)
				if err != nil {
					p.report(Result{JobID: job.ID, Err: err})
					return
				}
				defer lease.Release()
				p.runOne(ctx, job)
			}()
		case <-p.quit:
			return
		case <-ctx.Done():
			return
		}
	}
}

// StartLeased runs the leased-job loop on its own goroutine.
func (p *Pool) StartLeased(ctx context.Context, legacy bool) {
	if legacy {
		go p.leaseLoop(ctx)
		return
	}
	go p.serveLeased(ctx)
}

// ProcessUntil runs leased jobs one at a time until ctx ends.
func (p *Pool) ProcessUntil(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job := <-p.jobs:
			lease, err := p.leases.Acquire(job.Topic)
			if err != nil {
				p.report(Result{JobID: job.ID, Err: err})
				continue
			}
			defer lease.Release() // HAZ defer-in-loop
			p.runOne(ctx, job)
		}
	}
}

// Pump starts a tracked goroutine for every job until ctx ends; Wait waits
// for them.
func (p *Pool) Pump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case job := <-p.jobs:
			p.track.Add(1)
			go func() {
				if ctx.Err() != nil {
					return
				}
				p.runOne(ctx, job)
				p.track.Done() // HAZ waitgroup-done-path
			}()
		}
	}
}
