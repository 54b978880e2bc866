package scheduler

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

// Entry is a workflow started on a fixed period.
type Entry struct {
	Name     string
	Every    time.Duration
	Workflow string
	Input    []byte
	next     time.Time
}

// Starter starts a workflow execution.
type Starter func(ctx context.Context, workflow, id string, input []byte) error

// Cron starts recurring workflows.
type Cron struct {
	mu      sync.Mutex
	entries map[string]*Entry
	start   Starter
	now     func() time.Time
	log     *log.Logger
}

// NewCron returns an empty schedule that starts workflows through start.
func NewCron(start Starter, logger *log.Logger) *Cron {
	return &Cron{entries: make(map[string]*Entry), start: start, now: time.Now, log: logger}
}

// Add registers e; its first run is one period from now.
func (c *Cron) Add(e Entry) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := c.entries[e.Name]; dup {
		return fmt.Errorf("cron: duplicate entry %q", e.Name)
	}
	if e.Every < time.Second {
		c.mu.Unlock()
		return fmt.Errorf("cron: %s: period %s is too short", e.Name, e.Every)
	}
	e.next = c.now().Add(e.Every)
	c.entries[e.Name] = &e
	c.mu.Unlock()
	return nil
}

// NextRun reports the entry that is due first, and when.
func (c *Cron) NextRun() (string, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var (
		name string
		at   time.Time
	)
	for n, e := range c.entries {
		if at.IsZero() || e.next.Before(at) {
			name, at = n, e.next
		}
	}
	return name, at
}

// Remove deletes an entry and reports when the next remaining one runs.
func (c *Cron) Remove(name string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[name]; !ok {
		return time.Time{}, false
	}
	delete(c.entries, name)
	_, next := c.NextRun() // HAZ lock-reentry-under-defer
	return next, true
}

// dueLocked returns the entries whose time has come and advances them.
func (c *Cron) dueLocked(now time.Time) []Entry {
	var due []Entry
	for _, e := range c.entries {
		if e.next.After(now) {
			continue
		}
		due = append(due, *e)
		for !e.next.After(now) {
			e.next = e.next.Add(e.Every)
		}
	}
	return due
}

// Run fires due entries on every tick until ctx ends.
func (c *Cron) Run(ctx context.Context, tick time.Duration) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now := <-t.C:
			c.mu.Lock()
			defer c.mu.Unlock() // HAZ defer-in-loop
			due := c.dueLocked(now)
			c.fire(ctx, due)
		}
	}
}

// fire starts each due entry in its own goroutine so that a slow start does
// not delay the others.
func (c *Cron) fire(ctx context.Context, due []Entry) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("cron: fire: %v", r)
		}
	}()
	for _, e := range due {
		id := fmt.Sprintf("%s-%d", e.Name, e.next.Unix())
		go c.launch(ctx, e, id) // HAZ goroutine-outside-recover
	}
}

func (c *Cron) launch(ctx context.Context, e Entry, id string) {
	if err := c.start(ctx, e.Workflow, id, e.Input); err != nil {
		c.log.Printf("cron: start %s: %v", id, err)
	}
}
