package pipeline

import (
	"context"
	"log"

	"example.com/up16/internal/lease"
)

// Janitor deletes expired payloads as their keys arrive on Queue.
type Janitor struct {
	Queue  chan string
	Leases *lease.Manager
	Remove func(key string) error
	Log    *log.Logger
}

// Run removes queued keys for as long as the process runs.
func (j *Janitor) Run() {
	for key := range j.Queue {
		release, err := j.Leases.Hold("gc-" + key)
		if err != nil {
			j.Log.Printf("janitor: skip %s: %v", key, err)
			continue
		}
		defer release() // HAZ defer-in-infinite-loop
		if err := j.Remove(key); err != nil {
			j.Log.Printf("janitor: remove %s: %v", key, err)
		}
	}
}

// RunContext removes queued keys until ctx ends.
func (j *Janitor) RunContext(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case key := <-j.Queue:
			j.removeLeased(key)
		}
	}
}

func (j *Janitor) removeLeased(key string) {
	release, err := j.Leases.Hold("gc-" + key)
	if err != nil {
		j.Log.Printf("janitor: skip %s: %v", key, err)
		return
	}
	defer release()
	if err := j.Remove(key); err != nil {
		j.Log.Printf("janitor: remove %s: %v", key, err)
	}
}

// Drain removes the keys already queued and returns when the queue is empty.
func (j *Janitor) Drain() int {
	n := 0
	for {
		select {
		case key := <-j.Queue:
			func() {
				release, err := j.Leases.Hold("gc-" + key)
				if err != nil {
					return
				}
				defer release()
				if j.Remove(key) == nil {
					n++
				}
			}()
		default:
			return n
		}
	}
}
